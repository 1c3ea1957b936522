import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { createTestIssuer, errorCodes, graphql } from '@supergraph/kit/testing';
import type { ProviderConfig } from '../src/config.js';
import { testConfig } from './setup.js';
import * as queries from '../src/db/providers.js';
import { createProviderSubgraph } from '../src/subgraph.js';

// Wraps the batch functions in spies (same behaviour) so the tests can count SQL round trips.
jest.mock('../src/db/providers.js', () => {
  const actual = jest.requireActual('../src/db/providers.js');
  return {
    ...actual,
    modelsByIds: jest.fn(actual.modelsByIds),
    providersByIds: jest.fn(actual.providersByIds),
    modelsByProviderIds: jest.fn(actual.modelsByProviderIds),
  };
});

const CREATE_PROVIDER = /* GraphQL */ `
  mutation ($input: CreateProviderInput!) {
    createProvider(input: $input) {
      id
      name
      kind
      baseUrl
      enabled
      weight
      hasApiKey
      createdAt
    }
  }
`;
const CREATE_MODEL = /* GraphQL */ `
  mutation ($input: CreateModelInput!) {
    createModel(input: $input) {
      id
      name
      capabilities
      contextWindow
      inputPricePerMillion
      outputPricePerMillion
      provider {
        id
        name
      }
    }
  }
`;
const CATALOGUE = /* GraphQL */ `
  {
    providers {
      id
      name
      kind
      baseUrl
      enabled
      weight
      hasApiKey
      models {
        id
        name
        contextWindow
      }
    }
  }
`;

const config = (overrides: Partial<ProviderConfig> = {}): ProviderConfig => ({
  ...testConfig(),
  ...overrides,
});

describe('provider subgraph', () => {
  let subgraph: Awaited<ReturnType<typeof createProviderSubgraph>>;
  let issuer: Awaited<ReturnType<typeof createTestIssuer>>;
  let admin: string;
  const catalogue = async () => (await graphql(subgraph.yoga, { query: CATALOGUE })).data;
  const createProvider = (input: Record<string, unknown>, token = admin) =>
    graphql(subgraph.yoga, { query: CREATE_PROVIDER, variables: { input }, token });
  const createModel = (input: Record<string, unknown>, token = admin) =>
    graphql(subgraph.yoga, { query: CREATE_MODEL, variables: { input }, token });

  beforeAll(async () => {
    issuer = await createTestIssuer();
    subgraph = await createProviderSubgraph(config(), { verifier: issuer.verifier });
    admin = await issuer.token(randomUUID(), ['provider:admin']);
  });
  afterAll(() => subgraph.close());

  it('seeds the offline echo provider, readable without a token', async () => {
    const result = await graphql(subgraph.yoga, {
      query:
        '{ models(capability: CHAT) { name contextWindow inputPricePerMillion provider { name kind hasApiKey } } }',
    });
    expect(result.errors).toBeUndefined();
    expect(result.data!.models).toContainEqual({
      name: 'echo-1',
      contextWindow: 8192,
      inputPricePerMillion: 0,
      provider: { name: 'offline-echo', kind: 'OFFLINE_ECHO', hasApiKey: false },
    });
    const none = await graphql(subgraph.yoga, { query: '{ models(capability: VISION) { id } }' });
    expect(none.data!.models).toEqual([]);
  });

  it('seeds once across restarts on the same database', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'provider-seed-'));
    try {
      for (let start = 0; start < 2; start += 1) {
        const again = await createProviderSubgraph(config({ database: { dataDir } }), {
          verifier: issuer.verifier,
        });
        const { data } = await graphql(again.yoga, { query: CATALOGUE });
        await again.close();
        expect(data!.providers).toHaveLength(1);
        expect(data!.providers[0].models).toHaveLength(1);
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('creates a provider and a model, and keeps the API key to itself', async () => {
    const created = await createProvider({
      name: 'openai',
      kind: 'OPENAI_COMPATIBLE',
      baseUrl: 'https://api.openai.com/v1',
      apiKey: 'sk-secret',
      weight: 3,
    });
    expect(created.errors).toBeUndefined();
    const provider = created.data!.createProvider;
    expect(provider).toMatchObject({ name: 'openai', enabled: true, weight: 3, hasApiKey: true });

    const model = await createModel({
      providerId: provider.id,
      name: 'gpt-4o-mini',
      capabilities: ['CHAT', 'TOOLS', 'JSON'],
      contextWindow: 128_000,
      inputPricePerMillion: 0.15,
      outputPricePerMillion: 0.6,
    });
    expect(model.errors).toBeUndefined();
    expect(model.data!.createModel).toMatchObject({
      name: 'gpt-4o-mini',
      provider: { id: provider.id, name: 'openai' },
    });

    const read = await graphql(subgraph.yoga, {
      query:
        'query($id: ID!) { provider(id: $id) { name hasApiKey models { name capabilities } } }',
      variables: { id: provider.id },
    });
    expect(read.data!.provider).toEqual({
      name: 'openai',
      hasApiKey: true,
      models: [{ name: 'gpt-4o-mini', capabilities: ['CHAT', 'TOOLS', 'JSON'] }],
    });
    expect(JSON.stringify(await catalogue())).not.toContain('sk-secret');
    const asked = await graphql(subgraph.yoga, { query: '{ providers { apiKey } }' });
    expect(errorCodes(asked)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('needs a token with provider:admin to change the catalogue', async () => {
    const input = { name: 'nobody', kind: 'ANTHROPIC' };
    const anonymous = await graphql(subgraph.yoga, {
      query: CREATE_PROVIDER,
      variables: { input },
    });
    expect(errorCodes(anonymous)).toEqual(['UNAUTHENTICATED']);
    const reader = await issuer.token(randomUUID(), ['provider:read', 'ui:write']);
    expect(errorCodes(await createProvider(input, reader))).toEqual(['FORBIDDEN']);
    expect(JSON.stringify(await catalogue())).not.toContain('nobody');
  });

  it.each([
    [{ name: '  ', kind: 'ANTHROPIC' }, 'input.name'],
    [{ name: 'bad-url', kind: 'OPENAI_COMPATIBLE', baseUrl: 'not a url' }, 'input.baseUrl'],
    [{ name: 'ftp-url', kind: 'OPENAI_COMPATIBLE', baseUrl: 'ftp://example.com' }, 'input.baseUrl'],
    [{ name: 'heavy', kind: 'ANTHROPIC', weight: -1 }, 'input.weight'],
  ])('refuses bad provider input %j, changing nothing', async (input, field) => {
    const before = await catalogue();
    const result = await createProvider(input);
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0]!.extensions!['field']).toBe(field);
    expect(await catalogue()).toEqual(before);
  });

  it.each([
    [{ name: '' }, 'input.name'],
    [{ inputPricePerMillion: -0.01 }, 'input.inputPricePerMillion'],
    [{ outputPricePerMillion: -1 }, 'input.outputPricePerMillion'],
    [{ contextWindow: 0 }, 'input.contextWindow'],
  ])('refuses bad model input %j, changing nothing', async (change, field) => {
    const before = await catalogue();
    const providerId = before!.providers.find(
      (p: { name: string }) => p.name === 'offline-echo',
    ).id;
    const result = await createModel({
      providerId,
      name: 'echo-2',
      capabilities: ['CHAT'],
      contextWindow: 4096,
      inputPricePerMillion: 0,
      outputPricePerMillion: 0,
      ...change,
    });
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0]!.extensions!['field']).toBe(field);
    expect(await catalogue()).toEqual(before);
  });

  it('refuses a duplicate provider name and keeps the first provider', async () => {
    await createProvider({ name: 'twice', kind: 'ANTHROPIC', weight: 2 });
    const before = await catalogue();
    const again = await createProvider({ name: 'twice', kind: 'OPENAI_COMPATIBLE', weight: 9 });
    expect(errorCodes(again)).toEqual(['CONFLICT']);
    expect(again.errors![0]!.extensions!['field']).toBe('input.name');
    expect(await catalogue()).toEqual(before);
  });

  it('refuses a model of an unknown provider', async () => {
    const before = await catalogue();
    for (const providerId of [randomUUID(), 'not-a-uuid']) {
      const result = await createModel({
        providerId,
        name: 'orphan',
        capabilities: [],
        contextWindow: 1,
        inputPricePerMillion: 0,
        outputPricePerMillion: 0,
      });
      expect(errorCodes(result)).toEqual(['NOT_FOUND']);
    }
    expect(await catalogue()).toEqual(before);
  });

  it('resolves Provider and Model references, one statement per entity type', async () => {
    const { data } = await graphql(subgraph.yoga, {
      query: '{ providers { id name models { id name } } }',
    });
    const providers = data!.providers as {
      id: string;
      name: string;
      models: { id: string; name: string }[];
    }[];
    const models = providers.flatMap((p) => p.models.map((m) => ({ ...m, provider: p.name })));
    expect(models.length).toBeGreaterThanOrEqual(2);
    jest.mocked(queries.modelsByIds).mockClear();
    jest.mocked(queries.providersByIds).mockClear();
    const missing = randomUUID();
    const result = await graphql(subgraph.yoga, {
      query: /* GraphQL */ `
        query ($r: [_Any!]!) {
          _entities(representations: $r) {
            ... on Model {
              id
              name
              provider {
                name
              }
            }
            ... on Provider {
              id
              name
            }
          }
        }
      `,
      variables: {
        r: [
          ...models.map(({ id }) => ({ __typename: 'Model', id })),
          { __typename: 'Model', id: missing },
          ...providers.map(({ id }) => ({ __typename: 'Provider', id })),
        ],
      },
    });
    expect(result.errors).toBeUndefined();
    expect(result.data!._entities).toEqual([
      ...models.map(({ id, name, provider }) => ({ id, name, provider: { name: provider } })),
      null,
      ...providers.map(({ id, name }) => ({ id, name })),
    ]);
    expect(queries.modelsByIds).toHaveBeenCalledTimes(1);
    // Provider references and Model.provider share one loader: one statement for both.
    expect(queries.providersByIds).toHaveBeenCalledTimes(1);
  });
});
