// Updating and deleting providers and models (provider:admin): only the fields given change,
// conflicts and unknown ids are coded errors, and a refused change writes nothing.
import { randomUUID } from 'node:crypto';
import { createTestIssuer, errorCodes, graphql } from '@supergraph/kit/testing';
import { testConfig } from './setup.js';
import { createProviderSubgraph } from '../src/subgraph.js';

let subgraph: Awaited<ReturnType<typeof createProviderSubgraph>>;
let admin: string;
let reader: string;

const call = (query: string, variables: Record<string, unknown> = {}, token = admin) =>
  graphql(subgraph.yoga, { query, variables, token });

beforeAll(async () => {
  const issuer = await createTestIssuer();
  subgraph = await createProviderSubgraph(
    testConfig({
      PROVIDER_SEED_OFFLINE_ECHO: 'false',
    }),
    { verifier: issuer.verifier },
  );
  admin = await issuer.token(randomUUID(), ['provider:admin']);
  reader = await issuer.token(randomUUID(), ['provider:read']);
});
afterAll(() => subgraph.close());

async function provider(name: string) {
  const { data } = await call(
    'mutation($input: CreateProviderInput!) { createProvider(input: $input) { id } }',
    {
      input: {
        name,
        kind: 'OPENAI_COMPATIBLE',
        baseUrl: 'http://127.0.0.1:9/v1',
        apiKey: 'sk-secret',
      },
    },
  );
  return data!.createProvider.id as string;
}

const UPDATE_PROVIDER = `mutation($input: UpdateProviderInput!) {
  updateProvider(input: $input) { name baseUrl hasApiKey enabled weight rateLimitPerMinute }
}`;

describe('provider and model updates', () => {
  it('changes only the fields given, and clears what null clears', async () => {
    const id = await provider('alpha');
    const changed = await call(UPDATE_PROVIDER, {
      input: { id, weight: 5, rateLimitPerMinute: 60 },
    });
    expect(changed.data!.updateProvider).toEqual({
      name: 'alpha',
      baseUrl: 'http://127.0.0.1:9/v1',
      hasApiKey: true,
      enabled: true,
      weight: 5,
      rateLimitPerMinute: 60,
    });
    const cleared = await call(UPDATE_PROVIDER, {
      input: { id, apiKey: null, rateLimitPerMinute: null, enabled: false },
    });
    expect(cleared.data!.updateProvider).toMatchObject({
      hasApiKey: false,
      rateLimitPerMinute: null,
      enabled: false,
      weight: 5,
    });
  });

  it('refuses a taken name, bad values, unknown ids and readers, writing nothing', async () => {
    const id = await provider('beta');
    await provider('gamma');
    expect(errorCodes(await call(UPDATE_PROVIDER, { input: { id, name: 'gamma' } }))).toEqual([
      'CONFLICT',
    ]);
    expect(errorCodes(await call(UPDATE_PROVIDER, { input: { id, weight: -1 } }))).toEqual([
      'BAD_USER_INPUT',
    ]);
    expect(errorCodes(await call(UPDATE_PROVIDER, { input: { id, baseUrl: 'ftp://x' } }))).toEqual([
      'BAD_USER_INPUT',
    ]);
    expect(errorCodes(await call(UPDATE_PROVIDER, { input: { id } }))).toEqual(['BAD_USER_INPUT']);
    expect(
      errorCodes(await call(UPDATE_PROVIDER, { input: { id: randomUUID(), weight: 2 } })),
    ).toEqual(['NOT_FOUND']);
    expect(errorCodes(await call(UPDATE_PROVIDER, { input: { id, weight: 2 } }, reader))).toEqual([
      'FORBIDDEN',
    ]);
    const { data } = await call('query($id: ID!) { provider(id: $id) { name weight } }', { id });
    expect(data!.provider).toEqual({ name: 'beta', weight: 1 });
  });

  it('updates and deletes models, and deleting a provider deletes its models', async () => {
    const id = await provider('delta');
    const model = (
      await call('mutation($input: CreateModelInput!) { createModel(input: $input) { id } }', {
        input: {
          providerId: id,
          name: 'd-1',
          capabilities: ['CHAT'],
          contextWindow: 4096,
          inputPricePerMillion: 1,
          outputPricePerMillion: 2,
        },
      })
    ).data!.createModel.id;
    const updated = await call(
      'mutation($input: UpdateModelInput!) { updateModel(input: $input) { name contextWindow inputPricePerMillion capabilities } }',
      {
        input: { id: model, contextWindow: 8192, capabilities: ['CHAT', 'JSON', 'CHAT'] },
      },
    );
    expect(updated.data!.updateModel).toEqual({
      name: 'd-1',
      contextWindow: 8192,
      inputPricePerMillion: 1,
      capabilities: ['CHAT', 'JSON'],
    });
    const negative = await call(
      'mutation($input: UpdateModelInput!) { updateModel(input: $input) { id } }',
      { input: { id: model, inputPricePerMillion: -1 } },
    );
    expect(errorCodes(negative)).toEqual(['BAD_USER_INPUT']);

    expect(
      (await call('mutation($id: ID!) { deleteProvider(id: $id) }', { id })).data!.deleteProvider,
    ).toBe(id);
    expect(
      (await call('query($id: ID!) { provider(id: $id) { id } }', { id })).data!.provider,
    ).toBeNull();
    expect(
      errorCodes(await call('mutation($id: ID!) { deleteModel(id: $id) }', { id: model })),
    ).toEqual(['NOT_FOUND']);
  });
});
