// Settings of the public door that need no subgraph: where /metrics is served and who may read
// it, which origins get CORS, and what production turns off unless told otherwise.
import { ConfigError } from '@supergraph/kit';
import { errorCodes, graphql } from '@supergraph/kit/testing';
import { parseConfig } from '../src/config.js';
import { documentId } from '../src/persisted-operations.js';
import { createRouter, type Router } from '../src/router.js';
import { greeterSupergraph } from './greeter.js';

const TOKEN = 'a-metrics-token-of-some-length';

let router: Router | undefined;
afterEach(async () => {
  await router?.close();
  router = undefined;
});

const start = async (env: Record<string, string>) => {
  router = await createRouter(parseConfig({ LOG_LEVEL: 'silent', PORT: '0', ...env }), {
    supergraphSdl: greeterSupergraph(),
  });
  return router.listen();
};

describe('/metrics', () => {
  it('needs the bearer token when METRICS_TOKEN is set', async () => {
    const { url } = await start({ METRICS_TOKEN: TOKEN });
    const metricsUrl = url.replace(/\/graphql$/, '/metrics');
    const anonymous = await fetch(metricsUrl);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await anonymous.text()).not.toContain('graphql_requests_total');
    const wrong = await fetch(metricsUrl, { headers: { authorization: `Bearer ${TOKEN}x` } });
    expect(wrong.status).toBe(401);
    const right = await fetch(metricsUrl, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(right.status).toBe(200);
    expect(await right.text()).toContain('graphql_requests_total');
  });

  it('moves to a port of its own with METRICS_PORT', async () => {
    const { url } = await start({ METRICS_PORT: '0' });
    const onService = await fetch(url.replace(/\/graphql$/, '/metrics'));
    expect(onService.status).toBe(404);
    const metricsUrl = router!.metricsUrl;
    expect(metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const own = await fetch(metricsUrl!);
    expect(own.status).toBe(200);
    expect(await own.text()).toContain('router_breaker_state');
    expect((await fetch(metricsUrl!.replace(/\/metrics$/, '/graphql'))).status).toBe(404);
  });

  it('refuses a token too short to be a secret', () => {
    expect(() => parseConfig({ METRICS_TOKEN: 'short' })).toThrow(ConfigError);
  });
});

describe('CORS settings', () => {
  it('grants the listed origins only in production, with credentials', async () => {
    const { url } = await start({
      NODE_ENV: 'production',
      CORS_ORIGINS: 'https://app.example.com,https://admin.example.com',
    });
    const preflight = (origin: string) =>
      fetch(url, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST' },
      });
    const listed = await preflight('https://admin.example.com');
    expect(listed.headers.get('access-control-allow-origin')).toBe('https://admin.example.com');
    expect(listed.headers.get('access-control-allow-credentials')).toBe('true');
    const local = await preflight('http://localhost:5173');
    expect(local.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses an entry that is not an origin', () => {
    expect(() => parseConfig({ CORS_ORIGINS: 'https://app.example.com/path' })).toThrow(
      'CORS_ORIGINS',
    );
  });
});

describe('production defaults', () => {
  it('turns GraphiQL and unmasked errors off in production unless set', () => {
    const production = parseConfig({ NODE_ENV: 'production' });
    expect([production.graphiql, production.unmaskedErrors]).toEqual([false, false]);
    const development = parseConfig({ NODE_ENV: 'development' });
    expect([development.graphiql, development.unmaskedErrors]).toEqual([true, true]);
    const enabled = parseConfig({ NODE_ENV: 'production', GRAPHIQL: 'true' });
    expect(enabled.graphiql).toBe(true);
  });

  it('serves no GraphiQL page in production', async () => {
    const { url } = await start({ NODE_ENV: 'production' });
    const page = await fetch(url, { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toContain('graphiql');
  });
});

describe('automatic persisted queries', () => {
  const query = '{ __typename }';
  const hash = documentId(query);
  const send = (call: { query?: string; extensions: Record<string, unknown> }) =>
    graphql(router!.yoga, call);

  it('asks for an unknown document, then runs it by its hash alone', async () => {
    router = await createRouter(parseConfig({ LOG_LEVEL: 'silent' }), {
      supergraphSdl: greeterSupergraph(),
    });
    const persistedQuery = { version: 1, sha256Hash: hash };
    const unknown = await send({ extensions: { persistedQuery } });
    expect(errorCodes(unknown)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    const registered = await send({ query, extensions: { persistedQuery } });
    expect(registered.data).toEqual({ __typename: 'Query' });
    const byHash = await send({ extensions: { persistedQuery } });
    expect(byHash.data).toEqual({ __typename: 'Query' });

    const mismatch = await send({
      query: '{ greeting }',
      extensions: { persistedQuery: { version: 1, sha256Hash: documentId('{ other }') } },
    });
    expect(errorCodes(mismatch)).toEqual(['PERSISTED_QUERY_MISMATCH']);
  });

  it('keeps a bounded amount of registered documents, dropping the least recently used', async () => {
    router = await createRouter(parseConfig({ LOG_LEVEL: 'silent' }), {
      supergraphSdl: greeterSupergraph(),
    });
    // 20 documents of 900 KB (a comment is no token) are more than the store keeps.
    const documents = Array.from(
      { length: 20 },
      (_, i) => `# ${String(i).padEnd(900_000, '.')}\n{ __typename }`,
    );
    for (const document of documents) {
      const persistedQuery = { version: 1, sha256Hash: documentId(document) };
      const registered = await send({ query: document, extensions: { persistedQuery } });
      expect(registered.data).toEqual({ __typename: 'Query' });
    }
    const byHash = (document: string) =>
      send({ extensions: { persistedQuery: { version: 1, sha256Hash: documentId(document) } } });
    expect(errorCodes(await byHash(documents[0]!))).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    expect((await byHash(documents[19]!)).data).toEqual({ __typename: 'Query' });
  });

  it('is off with APQ=false', async () => {
    router = await createRouter(parseConfig({ LOG_LEVEL: 'silent', APQ: 'false' }), {
      supergraphSdl: greeterSupergraph(),
    });
    const result = await send({ extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });
    expect(result.data).toBeUndefined();
    expect(errorCodes(result)).not.toContain('PERSISTED_QUERY_NOT_FOUND');
  });

  it('refuses trusted-only mode without a manifest', async () => {
    await expect(
      createRouter(parseConfig({ LOG_LEVEL: 'silent', TRUSTED_DOCUMENTS_ONLY: 'true' }), {
        supergraphSdl: greeterSupergraph(),
      }),
    ).rejects.toThrow('TRUSTED_DOCUMENTS_PATH');
  });
});
