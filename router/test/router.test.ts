// The router on a supergraph other than ours: subgraph URLs come from the composed file
// unless overridden; its settings are validated at start.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import { ConfigError } from '@supergraph/kit';
import { createTestIssuer, errorCodes, graphql } from '@supergraph/kit/testing';
import { parseConfig } from '../src/config.js';
import { createRouter, type Router } from '../src/router.js';
import { greeterSupergraph } from './greeter.js';

/** A minimal subgraph: answers `{ greeting }` and records the headers it was sent. */
function greeterSubgraph() {
  const seen: IncomingHttpHeaders[] = [];
  const server = createServer((request, response) => {
    seen.push(request.headers);
    request.resume().on('end', () => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ data: { greeting: 'hello from the greeter' } }));
    });
  });
  return { server, seen };
}

const listen = async (server: Server) => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
};

describe('router on any composed supergraph', () => {
  const greeter = greeterSubgraph();
  let router: Router | undefined;
  afterEach(async () => {
    await router?.close();
    router = undefined;
  });
  afterAll(() => greeter.server.close());

  it('calls the subgraph at the URL of the file, forwarding identity and request id', async () => {
    const url = await listen(greeter.server);
    const issuer = await createTestIssuer();
    router = await createRouter(parseConfig({ LOG_LEVEL: 'silent', PORT: '0' }), {
      supergraphSdl: greeterSupergraph(url),
      verifier: issuer.verifier,
    });
    const { url: routerUrl } = await router.listen();
    const token = await issuer.token('user-7', ['x:y']);
    const result = await graphql(routerUrl, {
      query: '{ greeting }',
      token,
      headers: {
        'x-request-id': 'req-forwarded-1',
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      },
    });
    expect(result.data).toEqual({ greeting: 'hello from the greeter' });
    const headers = greeter.seen.at(-1)!;
    expect(headers['authorization']).toBe(`Bearer ${token}`);
    expect(headers['x-request-id']).toBe('req-forwarded-1');
    expect(headers['traceparent']).toBe('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
  });

  it('sends a subgraph to the URL that SUBGRAPH_URLS gives instead', async () => {
    router = await createRouter(
      parseConfig({ LOG_LEVEL: 'silent', SUBGRAPH_URLS: 'greeter=http://127.0.0.1:9/graphql' }),
      { supergraphSdl: greeterSupergraph('http://127.0.0.1:1/unused') },
    );
    const result = await graphql(router.yoga, { query: '{ greeting }' });
    expect(result.data).toEqual({ greeting: null });
    expect(errorCodes(result)).toEqual(['SUBGRAPH_UNAVAILABLE']);
    expect(result.errors![0]!.extensions!['serviceName']).toBe('greeter');
  });
});

describe('router settings', () => {
  it.each([
    [{ SUBGRAPH_URLS: 'memory' }, 'SUBGRAPH_URLS'],
    [{ SUBGRAPH_URLS: 'memory=not a url' }, 'SUBGRAPH_URLS'],
    [{ BREAKER_OVERRIDES: '{not json' }, 'BREAKER_OVERRIDES'],
    [{ BREAKER_OVERRIDES: '{"memory":{"timeoutMs":-1}}' }, 'BREAKER_OVERRIDES'],
    [{ PORT: '70000' }, 'PORT'],
    [{ ROUTER_WORKERS: '0' }, 'ROUTER_WORKERS'],
    [{ ROUTER_WORKERS: 'all' }, 'ROUTER_WORKERS'],
  ])('refuses %j naming the variable', (env, variable) => {
    expect(() => parseConfig(env)).toThrow(ConfigError);
    expect(() => parseConfig(env)).toThrow(variable);
  });

  it('merges per-subgraph breaker overrides over the defaults', () => {
    const config = parseConfig({ BREAKER_OVERRIDES: '{"provider":{"timeoutMs":30000}}' });
    expect(config.breaker.timeoutMs).toBe(10_000);
    expect(config.breakerOverrides['provider']).toEqual({ timeoutMs: 30_000 });
  });

  it('runs one worker per core in production, one process elsewhere, or as many as told', () => {
    const cores = availableParallelism();
    expect(parseConfig({ NODE_ENV: 'production' }).workers).toBe(cores);
    expect(parseConfig({ NODE_ENV: 'test' }).workers).toBe(1);
    expect(parseConfig({ ROUTER_WORKERS: '' }).workers).toBe(1);
    expect(parseConfig({ ROUTER_WORKERS: 'auto' }).workers).toBe(cores);
    expect(parseConfig({ NODE_ENV: 'production', ROUTER_WORKERS: '3' }).workers).toBe(3);
  });
});
