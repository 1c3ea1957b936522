// Trusted-documents mode: the router runs the operations of the manifest built from a client's
// code (npm run trusted-documents) and refuses every other document, over HTTP and over
// graphql-ws and graphql-sse alike; the manifest is read again on reload.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorCodes, graphql, type GraphQLCall } from '@supergraph/kit/testing';
import { buildTrustedDocuments } from '../../scripts/trusted-documents.js';
import { documentId } from '../../router/src/persisted-operations.js';
import { signUp, startSupergraph, type Supergraph } from '../harness.js';
import { subscribeSse, subscribeWs, untilOpenSubscriptions, wsClient } from '../realtime.js';

const CLIENT_APP = join(__dirname, 'fixtures/client-app');

let supergraph: Supergraph;
let folder: string;
let manifestPath: string;
let manifest: Map<string, string>;
let token: string;

const idOf = (operationName: string) =>
  [...manifest].find(([, document]) => new RegExp(`\\b${operationName}\\b`).test(document))![0];

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'trusted-'));
  manifestPath = join(folder, 'trusted-documents.json');
  manifest = buildTrustedDocuments([CLIENT_APP]);
  writeFileSync(manifestPath, JSON.stringify(Object.fromEntries(manifest)));
  supergraph = await startSupergraph({
    env: { TRUSTED_DOCUMENTS_PATH: manifestPath, TRUSTED_DOCUMENTS_ONLY: 'true' },
  });
  // signUp is not in the client's manifest: sign up straight at the security subgraph.
  ({ token } = await signUp(supergraph.subgraphUrls.security));
});
afterAll(async () => {
  await supergraph.close();
  rmSync(folder, { recursive: true, force: true });
});

const post = (call: GraphQLCall) => graphql(supergraph.url, { ...call, token });

const persisted = (sha256Hash: string, variables?: Record<string, unknown>): GraphQLCall => ({
  extensions: { persistedQuery: { version: 1, sha256Hash } },
  ...(variables ? { variables } : {}),
});

it('builds the manifest from tagged templates and .graphql files, keyed by sha256', () => {
  expect(manifest.size).toBe(3);
  for (const [id, document] of manifest) expect(documentId(document)).toBe(id);
  expect(manifest.get(idOf('Events'))).toContain('fragment Change on MemoryEvent');
});

it('runs a trusted document sent by its id', async () => {
  const created = await post(persisted(idOf('Remember'), { content: 'trusted write' }));
  expect(created.errors).toBeUndefined();
  const me = await post(persisted(idOf('Me')));
  expect(me.data).toEqual({ me: { id: expect.any(String), displayName: expect.any(String) } });
});

it('refuses a document that is not in the manifest, and an unknown id', async () => {
  const arbitrary = await post({ query: '{ me { id email roles } }' });
  expect(arbitrary.status).toBe(400);
  expect(errorCodes(arbitrary)).toEqual(['PERSISTED_QUERY_REQUIRED']);
  expect(arbitrary.data).toBeUndefined();

  // The text of a trusted document sent as a document is not trusted by its text.
  const asText = await post({ query: manifest.get(idOf('Me')) });
  expect(errorCodes(asText)).toEqual(['PERSISTED_QUERY_REQUIRED']);

  const unknown = await post(persisted(documentId('{ me { roles } }')));
  expect(errorCodes(unknown)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
});

it('refuses an untrusted subscription over graphql-ws, and runs a trusted one', async () => {
  const client = wsClient(supergraph.url, token);
  try {
    const untrusted = subscribeWs(client, { query: 'subscription { memoryEvents { type } }' });
    await expect(untrusted.done).rejects.toEqual([
      expect.objectContaining({
        extensions: expect.objectContaining({ code: 'PERSISTED_QUERY_REQUIRED' }),
      }),
    ]);
    const trusted = subscribeWs(client, {
      query: '',
      extensions: persisted(idOf('Events')).extensions!,
    } as never);
    await untilOpenSubscriptions(supergraph.services.memory, 1);
    await post(persisted(idOf('Remember'), { content: 'seen by the trusted subscription' }));
    const [event] = await trusted.received(1);
    expect(event!.data).toEqual({
      memoryEvents: { type: 'CREATED', memoryId: expect.any(String) },
    });
    trusted.unsubscribe();
  } finally {
    await client.dispose();
  }
});

it("refuses an untrusted subscription over graphql-sse's protocol, and runs a trusted one", async () => {
  const stream = `${supergraph.url}/stream`;
  const untrusted = subscribeSse(
    stream,
    token,
    { query: 'subscription { memoryEvents { type } }' },
    {
      singleConnection: true,
    },
  );
  try {
    await untrusted.done;
    expect(untrusted.results.flatMap((result) => errorCodes(result))).toEqual([
      'PERSISTED_QUERY_REQUIRED',
    ]);
  } finally {
    untrusted.dispose();
  }
  const trusted = subscribeSse(
    stream,
    token,
    { query: '', extensions: persisted(idOf('Events')).extensions! } as never,
    { singleConnection: true },
  );
  try {
    await untilOpenSubscriptions(supergraph.services.memory, 1);
    await post(persisted(idOf('Remember'), { content: 'seen over graphql-sse' }));
    const [event] = await trusted.received(1);
    expect(event!.data).toEqual({
      memoryEvents: { type: 'CREATED', memoryId: expect.any(String) },
    });
  } finally {
    trusted.dispose();
  }
  await untilOpenSubscriptions(supergraph.services.memory, 0);
});

it('reads the manifest again on reload, and keeps it when the new file is broken', async () => {
  const extra = 'query Extra { me { displayName } }';
  writeFileSync(
    manifestPath,
    JSON.stringify({ ...Object.fromEntries(manifest), [documentId(extra)]: extra }),
  );
  supergraph.router.reloadTrustedDocuments();
  expect((await post(persisted(documentId(extra)))).data).toEqual({
    me: { displayName: expect.any(String) },
  });

  writeFileSync(manifestPath, '{ "broken": "query {" }');
  expect(() => supergraph.router.reloadTrustedDocuments()).toThrow('does not parse');
  expect((await post(persisted(documentId(extra)))).errors).toBeUndefined();
});
