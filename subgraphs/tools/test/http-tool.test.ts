// The HTTP kind of tool against a real loopback server: what is sent, what is refused before
// any connection, retries only when idempotent, timeouts, cancellation and the size bound.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import net, { isIP, type AddressInfo, type LookupFunction } from 'node:net';
import {
  callHttpTool,
  checkEgress,
  HttpToolError,
  parseEgressAllowList,
  releaseEgressPolicy,
  type EgressPolicy,
  type HttpCallOptions,
  type HttpToolConfig,
} from '../src/http/index.js';

interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

type Handler = (request: SeenRequest, response: ServerResponse, index: number) => void;

interface TestServer {
  origin: string;
  port: number;
  requests: SeenRequest[];
  /** TCP connections accepted, requests or not. */
  connections: () => number;
  /** Resolves once the server has received `count` requests. */
  received: (count: number) => Promise<void>;
}

const servers: Server[] = [];
const policies: EgressPolicy[] = [];

/** A server on 127.0.0.1, port 0, closed (with its connections) after each test. */
async function startServer(handle: Handler): Promise<TestServer> {
  const requests: SeenRequest[] = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  let connections = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const seen = {
        method: request.method!,
        url: request.url!,
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(seen);
      for (const waiter of waiters) if (requests.length >= waiter.count) waiter.resolve();
      handle(seen, response, requests.length - 1);
    });
  });
  server.on('connection', () => (connections += 1));
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    requests,
    connections: () => connections,
    received: (count) =>
      requests.length >= count
        ? Promise.resolve()
        : new Promise((resolve) => waiters.push({ count, resolve })),
  };
}

function policy(spec: string): EgressPolicy {
  const parsed = parseEgressAllowList(spec);
  policies.push(parsed);
  return parsed;
}

/** A resolver that knows only the given names, as if DNS answered them. */
const fixedLookup =
  (names: Record<string, string[]>): LookupFunction =>
  (hostname, _options, callback) => {
    const addresses = names[hostname];
    if (!addresses) {
      const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
        code: 'ENOTFOUND',
      });
      return callback(error, '');
    }
    callback(
      null,
      addresses.map((address) => ({ address, family: isIP(address) })),
    );
  };

const json = (response: ServerResponse, status: number, value: unknown, headers = {}) => {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(value));
};

const options = (egress: EgressPolicy, extra: Partial<HttpCallOptions> = {}): HttpCallOptions => ({
  timeoutMs: 10_000,
  idempotent: false,
  egress,
  maxResponseBytes: 65_536,
  ...extra,
});

async function failure(promise: Promise<unknown>): Promise<HttpToolError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(HttpToolError);
  return error as HttpToolError;
}

afterEach(async () => {
  jest.restoreAllMocks();
  await Promise.all(policies.splice(0).map(releaseEgressPolicy));
  await Promise.all(
    servers.splice(0).map((server) => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    }),
  );
});

describe('callHttpTool', () => {
  it('POSTs the arguments as JSON and returns the parsed JSON answer', async () => {
    const server = await startServer((seen, response) =>
      json(response, 200, { echoed: JSON.parse(seen.body) }),
    );
    const config: HttpToolConfig = { url: `${server.origin}/weather`, headers: { 'X-Key': 'k1' } };
    const result = await callHttpTool(config, { city: 'Oslo' }, options(policy('127.0.0.1')));

    expect(result).toMatchObject({
      status: 200,
      output: { echoed: { city: 'Oslo' } },
      truncated: false,
      attempts: 1,
    });
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]).toMatchObject({ method: 'POST', url: '/weather' });
    expect(server.requests[0]!.headers).toMatchObject({
      'content-type': 'application/json',
      'x-key': 'k1',
    });
  });

  it('GET sends the arguments as ?args=<JSON> beside the query of the URL', async () => {
    const server = await startServer((_seen, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end('plain text');
    });
    const config: HttpToolConfig = { url: `${server.origin}/find?lang=en`, method: 'GET' };
    const result = await callHttpTool(config, { q: 'a&b' }, options(policy('127.0.0.1')));

    expect(result.output).toBe('plain text');
    const sent = new URL(server.requests[0]!.url, server.origin);
    expect(server.requests[0]!.method).toBe('GET');
    expect(sent.searchParams.get('lang')).toBe('en');
    expect(JSON.parse(sent.searchParams.get('args')!)).toEqual({ q: 'a&b' });
  });

  it('refuses a destination not on the list before connecting', async () => {
    const server = await startServer((_seen, response) => json(response, 200, {}));
    const error = await failure(
      callHttpTool({ url: server.origin }, {}, options(policy('api.example.com, 10.0.0.0/8'))),
    );

    expect(error).toMatchObject({ reason: 'egress-denied', attempts: 0 });
    expect(error.message).toContain('not on the egress allow-list');
    expect(server.connections()).toBe(0);
  });

  it('refuses everything when the list is empty', async () => {
    const server = await startServer((_seen, response) => json(response, 200, {}));
    const error = await failure(callHttpTool({ url: server.origin }, {}, options(policy(''))));
    expect(error.reason).toBe('egress-denied');
    expect(server.connections()).toBe(0);
  });

  it('refuses a listed hostname that resolves to loopback (real DNS: localhost)', async () => {
    const server = await startServer((_seen, response) => json(response, 200, {}));
    const url = `http://localhost:${server.port}/`;
    const egress = policy(`localhost:${server.port}`);
    expect(checkEgress(egress, new URL(url))).toBeUndefined(); // the name itself is listed

    const error = await failure(callHttpTool({ url }, {}, options(egress)));
    expect(error.reason).toBe('egress-denied');
    expect(error.message).toMatch(/localhost resolves to .* loopback address/);
    expect(server.connections()).toBe(0);
  });

  it('connects to a listed name resolving inside only when an IP entry covers the address', async () => {
    const server = await startServer((_seen, response) => json(response, 200, { ok: true }));
    const url = `http://tool.test:${server.port}/`;
    const lookup = fixedLookup({ 'tool.test': ['127.0.0.1'] });

    const refused = await failure(
      callHttpTool({ url }, {}, options(policy('tool.test'), { lookup })),
    );
    expect(refused.reason).toBe('egress-denied');
    expect(server.connections()).toBe(0);

    const egress = policy('tool.test, 127.0.0.0/8');
    const result = await callHttpTool({ url }, {}, options(egress, { lookup }));
    expect(result.output).toEqual({ ok: true });
    expect(server.requests[0]!.headers.host).toBe(`tool.test:${server.port}`);
  });

  it('refuses a name when any of its addresses is inside (rebinding to a second address)', async () => {
    const lookup = fixedLookup({ 'mixed.test': ['93.184.216.34', '10.1.2.3'] });
    const error = await failure(
      callHttpTool({ url: 'http://mixed.test/' }, {}, options(policy('mixed.test'), { lookup })),
    );
    expect(error).toMatchObject({ reason: 'egress-denied', attempts: 1 });
    expect(error.message).toContain('10.1.2.3 is a private address');
  });

  it('refuses the metadata address, by literal or by name, without network traffic', async () => {
    const connect = jest.spyOn(net, 'connect');
    const broad = policy('169.254.0.0/16, fd00::/8, metadata.test');
    for (const url of ['http://169.254.169.254/latest/meta-data/', 'http://[fd00:ec2::254]/']) {
      const error = await failure(callHttpTool({ url }, {}, options(broad)));
      expect(error).toMatchObject({ reason: 'egress-denied', attempts: 0 });
    }
    expect(connect).not.toHaveBeenCalled();

    const lookup = fixedLookup({ 'metadata.test': ['169.254.169.254'] });
    const error = await failure(
      callHttpTool({ url: 'http://metadata.test/' }, {}, options(broad, { lookup })),
    );
    expect(error.reason).toBe('egress-denied');
    expect(error.message).toContain('169.254.169.254 is a cloud metadata address');
  });

  it('retries an idempotent tool on 503 until it succeeds', async () => {
    const server = await startServer((_seen, response, index) =>
      index < 2
        ? json(response, 503, { busy: true }, { 'retry-after': '0' })
        : json(response, 200, { done: true }),
    );
    const logs: string[] = [];
    const result = await callHttpTool(
      { url: server.origin },
      { n: 1 },
      options(policy('127.0.0.1'), { idempotent: true, onLog: (line) => logs.push(line) }),
    );
    expect(result).toMatchObject({ status: 200, output: { done: true }, attempts: 3 });
    expect(server.requests).toHaveLength(3);
    expect(server.requests.map((seen) => seen.body)).toEqual(['{"n":1}', '{"n":1}', '{"n":1}']);
    expect(logs.filter((line) => line.includes('retrying'))).toHaveLength(2);
  });

  it('retries with backoff when there is no Retry-After, and gives up after the attempts', async () => {
    const server = await startServer((_seen, response) => json(response, 502, { down: true }));
    const error = await failure(
      callHttpTool(
        { url: server.origin },
        {},
        options(policy('127.0.0.1'), { idempotent: true, attempts: 2 }),
      ),
    );
    expect(error).toMatchObject({ reason: 'http-error', status: 502, attempts: 2 });
    expect(server.requests).toHaveLength(2);
  });

  it('tries a non-idempotent tool exactly once, with the status and an excerpt', async () => {
    const server = await startServer((_seen, response) => {
      response.writeHead(503, { 'retry-after': '0' });
      response.end('overloaded, come back later');
    });
    const error = await failure(
      callHttpTool({ url: server.origin }, {}, options(policy('127.0.0.1'))),
    );
    expect(error).toMatchObject({ reason: 'http-error', status: 503, attempts: 1 });
    expect(error.message).toContain('503: overloaded, come back later');
    expect(server.requests).toHaveLength(1);
  });

  it('does not retry a 4xx even when idempotent', async () => {
    const server = await startServer((_seen, response) =>
      json(response, 422, { error: 'bad city' }),
    );
    const error = await failure(
      callHttpTool({ url: server.origin }, {}, options(policy('127.0.0.1'), { idempotent: true })),
    );
    expect(error).toMatchObject({ reason: 'http-error', status: 422, attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it('does not wait a Retry-After longer than the time left', async () => {
    const server = await startServer((_seen, response) =>
      json(response, 429, {}, { 'retry-after': '3600' }),
    );
    const error = await failure(
      callHttpTool({ url: server.origin }, {}, options(policy('127.0.0.1'), { idempotent: true })),
    );
    expect(error).toMatchObject({ reason: 'http-error', status: 429, attempts: 1 });
  });

  it('returns a redirect instead of following it', async () => {
    const server = await startServer((_seen, response) => {
      response.writeHead(302, { location: 'http://169.254.169.254/' });
      response.end();
    });
    const result = await callHttpTool({ url: server.origin }, {}, options(policy('127.0.0.1')));
    expect(result).toMatchObject({ status: 302, output: '' });
    expect(server.requests).toHaveLength(1);
  });

  it('times out an attempt that gets no answer, once per attempt', async () => {
    const server = await startServer(() => {}); // never answers
    const egress = policy('127.0.0.1');
    const once = await failure(
      callHttpTool({ url: server.origin }, {}, options(egress, { timeoutMs: 200 })),
    );
    expect(once).toMatchObject({ reason: 'timeout', attempts: 1 });
    expect(server.requests).toHaveLength(1);

    const twice = await failure(
      callHttpTool(
        { url: server.origin },
        {},
        options(egress, { timeoutMs: 200, idempotent: true, attempts: 2 }),
      ),
    );
    expect(twice).toMatchObject({ reason: 'timeout', attempts: 2 });
    expect(server.requests).toHaveLength(3);
  });

  it('times out an answer whose body stops arriving', async () => {
    const server = await startServer((_seen, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"partial":');
    });
    const error = await failure(
      callHttpTool({ url: server.origin }, {}, options(policy('127.0.0.1'), { timeoutMs: 200 })),
    );
    expect(error.reason).toBe('timeout');
  });

  it("ends at once when the caller's signal aborts, also while waiting to retry", async () => {
    const server = await startServer(() => {});
    const egress = policy('127.0.0.1');
    const controller = new AbortController();
    const pending = callHttpTool(
      { url: server.origin },
      {},
      options(egress, { signal: controller.signal }),
    );
    await server.received(1);
    controller.abort();
    expect(await failure(pending)).toMatchObject({ reason: 'cancelled', attempts: 1 });

    const busy = await startServer((_seen, response) =>
      json(response, 503, {}, { 'retry-after': '60' }),
    );
    const waiting = new AbortController();
    const error = await failure(
      callHttpTool(
        { url: busy.origin },
        {},
        options(egress, {
          idempotent: true,
          timeoutMs: 60_000,
          signal: waiting.signal,
          onLog: (line) => line.includes('retrying in 60000 ms') && waiting.abort(),
        }),
      ),
    );
    expect(error).toMatchObject({ reason: 'cancelled', attempts: 1 });
    expect(busy.requests).toHaveLength(1);
  });

  it('retries a network failure when idempotent', async () => {
    const closed = await startServer(() => {});
    const url = closed.origin;
    const server = servers.pop()!;
    await new Promise((resolve) => server.close(resolve));
    const error = await failure(
      callHttpTool({ url }, {}, options(policy('127.0.0.1'), { idempotent: true, attempts: 2 })),
    );
    expect(error).toMatchObject({ reason: 'network', attempts: 2 });
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('reads at most maxResponseBytes and says the answer was truncated', async () => {
    const big = JSON.stringify({ text: 'x'.repeat(10_000) });
    const server = await startServer((_seen, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(big);
    });
    const egress = policy('127.0.0.1');
    const cut = await callHttpTool(
      { url: server.origin },
      {},
      options(egress, { maxResponseBytes: 1_000 }),
    );
    expect(cut.truncated).toBe(true);
    expect(cut.output).toBe(big.slice(0, 1_000)); // text: cut JSON is not parsed

    const whole = await callHttpTool(
      { url: server.origin },
      {},
      options(egress, { maxResponseBytes: big.length }),
    );
    expect(whole).toMatchObject({ truncated: false, output: { text: 'x'.repeat(10_000) } });
  });

  it('refuses arguments larger than maxRequestBytes without sending them', async () => {
    const server = await startServer((_seen, response) => json(response, 200, {}));
    const error = await failure(
      callHttpTool(
        { url: server.origin },
        { a: 'y'.repeat(100) },
        options(policy('127.0.0.1'), { maxRequestBytes: 50 }),
      ),
    );
    expect(error).toMatchObject({ reason: 'too-large', attempts: 0 });
    expect(server.connections()).toBe(0);
  });
});
