// createSubgraphServer on a tiny schema: transports (HTTP, SSE, graphql-ws on one port),
// service endpoints, error masking and request ids.
import { createClient } from 'graphql-ws';
import { pino } from 'pino';
import { Writable } from 'node:stream';
import WebSocket from 'ws';
import { codedError } from '../src/errors.js';
import { createSubgraphServer, type SubgraphServer, type BaseContext } from '../src/server.js';
import { testSubgraphConfig } from '../src/config.js';
import { createTestIssuer, errorCodes, graphql } from '../src/testing.js';

// The fixture's SDL and package.json stand for a subgraph's src/ folder.
const sourceDir = `${__dirname}/fixture/src`;

const resolvers = {
  Query: {
    hello: () => 'world',
    whoami: (_: unknown, __: unknown, context: BaseContext) => context.identity?.userId ?? null,
    boom: () => {
      throw new Error('database password is hunter2');
    },
    refused: () => {
      throw codedError('FORBIDDEN', 'not for you');
    },
  },
  Subscription: {
    countdown: {
      subscribe: async function* (_: unknown, { from }: { from: number }) {
        for (let n = from; n >= 0; n -= 1) yield { countdown: n };
      },
    },
  },
};

describe('createSubgraphServer', () => {
  let server: SubgraphServer<BaseContext>;
  let url: string;
  let token: string;
  let ready = true;
  const logLines: Record<string, unknown>[] = [];
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk, _encoding, done) {
        logLines.push(JSON.parse(String(chunk)));
        done();
      },
    }),
  );

  beforeAll(async () => {
    const issuer = await createTestIssuer();
    token = await issuer.token('user-1', ['any:scope']);
    server = createSubgraphServer<BaseContext>({
      config: testSubgraphConfig('demo', { env: 'production' }),
      sourceDir,
      resolvers,
      verifier: issuer.verifier,
      readiness: {
        database: async () => {
          if (!ready) throw new Error('database is down');
        },
      },
      capabilities: ['demo'],
      logger,
      routes: { '/echo-method': (request) => new Response(request.method) },
      context: (base) => base,
    });
    ({ url } = await server.listen());
  });
  afterAll(() => server.close());

  it('answers queries over graphql-ws with the identity of connection_init', async () => {
    const client = createClient({
      url: url.replace('http', 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
    });
    try {
      const values: unknown[] = [];
      for await (const result of client.iterate({ query: 'subscription { countdown(from: 2) }' })) {
        values.push(result.data?.['countdown']);
      }
      expect(values).toEqual([2, 1, 0]);
      const who = await client.iterate({ query: '{ whoami }' }).next();
      expect(who.value).toEqual({ data: { whoami: 'user-1' } });
    } finally {
      await client.dispose();
    }
  });

  it('streams a subscription over SSE', async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: 'subscription { countdown(from: 1) }' }),
    });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const text = await response.text();
    expect(text).toContain('{"data":{"countdown":1}}');
    expect(text).toContain('{"data":{"countdown":0}}');
  });

  it('masks unexpected errors and keeps coded ones', async () => {
    const result = await graphql(url, { query: '{ boom refused hello }' });
    expect(result.data).toEqual({ boom: null, refused: null, hello: 'world' });
    expect(errorCodes(result)).toEqual(['INTERNAL_SERVER_ERROR', 'FORBIDDEN']);
    expect(JSON.stringify(result.errors)).not.toContain('hunter2');
  });

  it('logs an unexpected error with the request id, once', async () => {
    logLines.length = 0;
    await graphql(url, { query: '{ boom }', headers: { 'x-request-id': 'trace-me-42' } });
    const logged = logLines.filter((line) => line['msg'] === 'unexpected error');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      requestId: 'trace-me-42',
      err: { message: 'database password is hunter2' },
    });
  });

  it('serves /health, /v1/metadata, /metrics and a /readyz that follows its checks', async () => {
    const base = url.replace('/graphql', '');
    expect((await fetch(`${base}/health`)).status).toBe(200);
    const metadata = await (await fetch(`${base}/v1/metadata`)).json();
    expect(metadata).toMatchObject({ name: 'demo', version: '1.2.3', capabilities: ['demo'] });
    await graphql(url, { query: 'query Greeting { hello }' });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/graphql_requests_total\{[^}]*operation="Greeting"[^}]*\} 1/);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    ready = false;
    const down = await fetch(`${base}/readyz`);
    expect(down.status).toBe(503);
    expect((await down.json()).checks.database).toEqual({ ok: false, error: 'database is down' });
    ready = true;
  });

  it("hands every method to a service's own routes, and only GET to the standard ones", async () => {
    const base = url.replace('/graphql', '');
    for (const method of ['GET', 'POST', 'DELETE']) {
      const response = await fetch(`${base}/echo-method`, {
        method,
        body: method === 'POST' ? '{}' : undefined,
      });
      expect(await response.text()).toBe(method);
      expect(response.headers.get('x-request-id')).toBeTruthy();
    }
    const posted = await fetch(`${base}/health`, { method: 'POST', body: '{}' });
    expect(await posted.text()).not.toContain('"status": "ok"');
  });

  it('echoes a given request id and makes one otherwise', async () => {
    const given = await graphql(url, { query: '{ hello }', headers: { 'x-request-id': 'abc-1' } });
    expect(given.response.headers.get('x-request-id')).toBe('abc-1');
    const made = await graphql(url, {
      query: '{ hello }',
      headers: { 'x-request-id': 'bad id with spaces' },
    });
    expect(made.response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("a subgraph's GraphiQL (development)", () => {
  const issuerPromise = createTestIssuer();
  const start = async (env: 'development' | 'production') =>
    createSubgraphServer<BaseContext>({
      config: testSubgraphConfig('demo', { env }),
      sourceDir,
      resolvers,
      verifier: (await issuerPromise).verifier,
      capabilities: ['demo'],
      logger: pino({ level: 'silent' }),
      context: (base) => base,
    });
  const page = (server: SubgraphServer<BaseContext>) =>
    server.yoga.fetch('http://demo.test/graphql', { headers: { accept: 'text/html' } });

  it('is served from the service itself, with no address of another machine', async () => {
    const server = await start('development');
    try {
      const response = await page(server);
      expect(response.headers.get('content-type')).toMatch(/text\/html/);
      const html = await response.text();
      // Every script and stylesheet is one of the service's own assets.
      const sources = [...html.matchAll(/(?:src|href)="([^"]*)"/g)].map((match) => match[1]!);
      expect(sources.length).toBeGreaterThanOrEqual(4);
      for (const source of sources) expect(source).toMatch(/^\/graphql\/assets\//);
      expect(html).not.toMatch(/https?:\/\//);
      const script = sources.find((source) => source.includes('/graphiql.'))!;
      const asset = await server.yoga.fetch(`http://demo.test${script}`);
      expect(asset.status).toBe(200);
      expect((await asset.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
      // No sign-in bar: the subgraph has no login mutation of its own.
      expect(html).toContain('"signIn":null');
    } finally {
      await server.close();
    }
  });

  it('is off in production', async () => {
    const server = await start('production');
    try {
      const response = await page(server);
      expect(response.headers.get('content-type') ?? '').not.toMatch(/text\/html/);
      expect(await response.text()).not.toContain('GraphiQL');
    } finally {
      await server.close();
    }
  });
});
