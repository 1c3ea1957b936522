import { randomUUID } from 'node:crypto';
import { testSubgraphConfig } from '@supergraph/kit';
import { createTestIssuer, errorCodes, graphql, graphqlLiteral } from '@supergraph/kit/testing';
import { parseConfig, type UiConfig } from '../src/config.js';
import * as access from '../src/db/access.js';
import { createUiSubgraph } from '../src/subgraph.js';

// Wraps the batch functions in spies (same behaviour) so the tests can count SQL round trips.
jest.mock('../src/db/access.js', () => {
  const actual = jest.requireActual('../src/db/access.js');
  return {
    ...actual,
    documentsByIds: jest.fn(actual.documentsByIds),
    visualizationsByIds: jest.fn(actual.visualizationsByIds),
  };
});

const MIB = 1_048_576;
const DOCUMENT_FIELDS = 'id title content version owner { id } createdAt updatedAt';
const CREATE_DOCUMENT = `mutation($input: CreateDocumentInput!) { createDocument(input: $input) { ${DOCUMENT_FIELDS} } }`;
const UPDATE_DOCUMENT = `mutation($input: UpdateDocumentInput!) { updateDocument(input: $input) { ${DOCUMENT_FIELDS} } }`;
const CREATE_VISUALIZATION = /* GraphQL */ `
  mutation ($input: CreateVisualizationInput!) {
    createVisualization(input: $input) {
      id
      title
      kind
      spec
      owner {
        id
      }
      createdAt
    }
  }
`;
const MY_STUFF = `{ documents(first: 100) { ${DOCUMENT_FIELDS} } visualizations(first: 100) { id title kind spec } }`;

const config = (overrides: Partial<UiConfig> = {}): UiConfig => ({
  ...testSubgraphConfig('ui', { maxBodyBytes: 3 * MIB }),
  maxDocumentBytes: MIB,
  collab: parseConfig({}).collab,
  ...overrides,
});

describe('ui subgraph', () => {
  let subgraph: Awaited<ReturnType<typeof createUiSubgraph>>;
  let issuer: Awaited<ReturnType<typeof createTestIssuer>>;
  const alice = randomUUID();
  const bob = randomUUID();
  let aliceToken: string;
  let bobToken: string;
  const call = (query: string, variables: Record<string, unknown> = {}, token = aliceToken) =>
    graphql(subgraph.yoga, { query, variables, token });
  const myStuff = async (token = aliceToken) => (await call(MY_STUFF, {}, token)).data;
  const createDocument = async (title: string, content: string, token = aliceToken) => {
    const result = await call(CREATE_DOCUMENT, { input: { title, content } }, token);
    expect(result.errors).toBeUndefined();
    return result.data!.createDocument;
  };

  beforeAll(async () => {
    issuer = await createTestIssuer();
    subgraph = await createUiSubgraph(config(), { verifier: issuer.verifier });
    aliceToken = await issuer.token(alice, ['ui:read', 'ui:write']);
    bobToken = await issuer.token(bob, ['ui:read', 'ui:write']);
  });
  afterAll(() => subgraph.close());

  it('creates, reads and updates a document', async () => {
    const created = await createDocument('  Plan ', 'first draft');
    expect(created).toMatchObject({
      title: 'Plan',
      content: 'first draft',
      version: 1,
      owner: { id: alice },
    });

    const updated = await call(UPDATE_DOCUMENT, {
      input: { id: created.id, content: 'second draft', expectedVersion: 1 },
    });
    expect(updated.errors).toBeUndefined();
    expect(updated.data!.updateDocument).toMatchObject({
      title: 'Plan',
      content: 'second draft',
      version: 2,
    });
    expect(new Date(updated.data!.updateDocument.updatedAt).getTime()).toBeGreaterThanOrEqual(
      new Date(created.updatedAt).getTime(),
    );

    const read = await call(`query($id: ID!) { document(id: $id) { ${DOCUMENT_FIELDS} } }`, {
      id: created.id,
    });
    expect(read.data!.document).toEqual(updated.data!.updateDocument);
    expect((await myStuff())!.documents[0]).toEqual(updated.data!.updateDocument);
  });

  it('creates and reads a visualization', async () => {
    const spec = { mark: 'bar', encoding: { x: { field: 'a' } }, data: [1, 2, 3] };
    const created = await call(CREATE_VISUALIZATION, {
      input: { title: 'Bars', kind: 'CHART', spec },
    });
    expect(created.errors).toBeUndefined();
    expect(created.data!.createVisualization).toMatchObject({
      title: 'Bars',
      kind: 'CHART',
      spec,
      owner: { id: alice },
    });
    const id = created.data!.createVisualization.id;
    const read = () =>
      call('query($id: ID!) { visualization(id: $id) { title spec role } }', { id }, bobToken);
    // Someone else's visualization is not there for bob until it is shared with him.
    expect((await read()).data!.visualization).toBeNull();
    const shared = await call(
      'mutation($input: ShareInput!) { shareVisualization(input: $input) { role user { id } } }',
      { input: { id, userId: bob, role: 'VIEWER' } },
    );
    expect(shared.data!.shareVisualization).toEqual({ role: 'VIEWER', user: { id: bob } });
    expect((await read()).data!.visualization).toEqual({ title: 'Bars', spec, role: 'VIEWER' });
    const bobsList = await call('{ visualizations { id } }', {}, bobToken);
    expect(bobsList.data!.visualizations).toContainEqual({ id });
    const unshared = await call(
      'mutation($id: ID!, $user: ID!) { unshareVisualization(id: $id, userId: $user) }',
      { id, user: bob },
    );
    expect(unshared.data!.unshareVisualization).toBe(true);
    expect((await read()).data!.visualization).toBeNull();
  });

  it('takes a visualization spec written inline as a JSON literal', async () => {
    const spec = { mark: 'line', encoding: { y: { field: 'b', scale: null } }, data: [[1, 2], {}] };
    const created = await call(
      `mutation { createVisualization(input: { title: "Inline", kind: CHART, spec: ${graphqlLiteral(spec)} }) { spec } }`,
    );
    expect(created.errors).toBeUndefined();
    expect(created.data!.createVisualization.spec).toEqual(spec);
  });

  it('shows documents to their owner only', async () => {
    const secret = await createDocument('Secret', 'for alice', aliceToken);
    const seen = await call(
      'query($id: ID!) { document(id: $id) { id } }',
      { id: secret.id },
      bobToken,
    );
    expect(seen.errors).toBeUndefined();
    expect(seen.data!.document).toBeNull();
    expect(JSON.stringify(await myStuff(bobToken))).not.toContain(secret.id);

    const before = await myStuff();
    const takeover = await call(
      UPDATE_DOCUMENT,
      { input: { id: secret.id, title: 'Mine' } },
      bobToken,
    );
    // Not bob's to see, so not there for him, like a missing one.
    expect(errorCodes(takeover)).toEqual(['NOT_FOUND']);
    const missing = await call(UPDATE_DOCUMENT, { input: { id: randomUUID(), title: 'Mine' } });
    expect(errorCodes(missing)).toEqual(['NOT_FOUND']);
    expect(await myStuff()).toEqual(before);
  });

  it('refuses a stale expectedVersion and writes nothing', async () => {
    const document = await createDocument('Shared', 'v1');
    await call(UPDATE_DOCUMENT, { input: { id: document.id, content: 'v2', expectedVersion: 1 } });
    const before = await myStuff();
    const stale = await call(UPDATE_DOCUMENT, {
      input: { id: document.id, content: 'lost edit', expectedVersion: 1 },
    });
    expect(errorCodes(stale)).toEqual(['CONFLICT']);
    expect(stale.errors![0]!.extensions).toMatchObject({ currentVersion: 2 });
    expect(await myStuff()).toEqual(before);
  });

  it('lets only one of two concurrent updates on the same version win', async () => {
    const document = await createDocument('Race', 'v1');
    const results = await Promise.all(
      ['left', 'right'].map((content) =>
        call(UPDATE_DOCUMENT, { input: { id: document.id, content, expectedVersion: 1 } }),
      ),
    );
    // PGlite serialises statements, so this shows the conditional update, not real contention.
    expect(results.map((result) => errorCodes(result).join()).sort()).toEqual(['', 'CONFLICT']);
  });

  it('needs a token, and the right scope', async () => {
    const anonymous = await graphql(subgraph.yoga, { query: '{ documents { id } }' });
    expect(errorCodes(anonymous)).toEqual(['UNAUTHENTICATED']);
    const readOnly = await issuer.token(alice, ['ui:read']);
    const before = await myStuff();
    const write = await call(CREATE_DOCUMENT, { input: { title: 'x', content: 'y' } }, readOnly);
    expect(errorCodes(write)).toEqual(['FORBIDDEN']);
    const other = await issuer.token(alice, ['tools:read', 'provider:admin']);
    expect(errorCodes(await call('{ visualizations { id } }', {}, other))).toEqual(['FORBIDDEN']);
    expect(await myStuff()).toEqual(before);
  });

  it.each([
    ['empty title', CREATE_DOCUMENT, { title: ' ', content: 'x' }, 'input.title'],
    ['long title', CREATE_DOCUMENT, { title: 't'.repeat(201), content: 'x' }, 'input.title'],
    [
      'content over 1 MiB',
      CREATE_DOCUMENT,
      { title: 'big', content: 'é'.repeat(MIB / 2 + 1) },
      'input.content',
    ],
    ['array spec', CREATE_VISUALIZATION, { title: 'v', kind: 'TABLE', spec: [1, 2] }, 'input.spec'],
    [
      'string spec',
      CREATE_VISUALIZATION,
      { title: 'v', kind: 'TABLE', spec: 'bars' },
      'input.spec',
    ],
    ['empty title', CREATE_VISUALIZATION, { title: '', kind: 'GRAPH', spec: {} }, 'input.title'],
  ])('refuses %s, changing nothing', async (_name, mutation, input, field) => {
    const before = await myStuff();
    const result = await call(mutation, { input });
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0]!.extensions!['field']).toBe(field);
    expect(await myStuff()).toEqual(before);
  });

  it('accepts content of exactly 1 MiB', async () => {
    const document = await createDocument('full', 'x'.repeat(MIB));
    expect(document.content).toHaveLength(MIB);
  });

  it.each([
    [{ title: '' }, 'input.title'],
    [{ content: 'x'.repeat(MIB + 1) }, 'input.content'],
    [{ title: 'fine', expectedVersion: 0 }, 'input.expectedVersion'],
    [{}, 'input'],
  ])('refuses the update %#, changing nothing', async (change, field) => {
    const document = await createDocument('Keep', 'kept');
    const before = await myStuff();
    const result = await call(UPDATE_DOCUMENT, { input: { id: document.id, ...change } });
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0]!.extensions!['field']).toBe(field);
    expect(await myStuff()).toEqual(before);
  });

  it('refuses a page size out of range', async () => {
    const result = await call('{ documents(first: 0) { id } }');
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0]!.extensions!['field']).toBe('first');
  });

  it('resolves Document, Visualization and User references in batches', async () => {
    const docs = [await createDocument('R1', 'a'), await createDocument('R2', 'b')];
    const theirs = await createDocument('R3', 'c', bobToken);
    const viz = await call(CREATE_VISUALIZATION, {
      input: { title: 'V', kind: 'TIMELINE', spec: { a: 1 } },
    });
    const vizId = viz.data!.createVisualization.id;
    jest.mocked(access.documentsByIds).mockClear();
    jest.mocked(access.visualizationsByIds).mockClear();

    const result = await call(
      /* GraphQL */ `
        query ($r: [_Any!]!) {
          _entities(representations: $r) {
            ... on Document {
              id
              title
              owner {
                id
              }
            }
            ... on Visualization {
              id
              title
            }
            ... on User {
              id
              documents {
                id
              }
            }
          }
        }
      `,
      {
        r: [
          ...docs.map(({ id }) => ({ __typename: 'Document', id })),
          { __typename: 'Document', id: theirs.id },
          { __typename: 'Visualization', id: vizId },
          { __typename: 'User', id: alice },
          { __typename: 'User', id: bob },
        ],
      },
    );
    expect(result.errors).toBeUndefined();
    const entities = result.data!._entities;
    expect(entities.slice(0, 4)).toEqual([
      { id: docs[0].id, title: 'R1', owner: { id: alice } },
      { id: docs[1].id, title: 'R2', owner: { id: alice } },
      null,
      { id: vizId, title: 'V' },
    ]);
    expect(entities[4].documents.map((d: { id: string }) => d.id)).toEqual(
      expect.arrayContaining(docs.map((d) => d.id)),
    );
    expect(entities[5]).toEqual({ id: bob, documents: [] });
    expect(access.documentsByIds).toHaveBeenCalledTimes(1);
    expect(access.visualizationsByIds).toHaveBeenCalledTimes(1);
  });
});
