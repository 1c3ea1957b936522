// A real HTTP server imitating OpenAI's POST /v1/embeddings, on 127.0.0.1 port 0, that tests
// can script to fail, hang or answer wrongly. It owns its teardown: close() ends hung requests.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { embedText } from '../../src/embeddings/offline.js';

/** What the server does with one request; requests beyond the script are answered normally. */
export type Fault =
  | { status: number; message?: string; retryAfter?: string }
  | { hang: true }
  | { dimensions: number }
  | { body: string };

export interface RecordedRequest {
  authorization: string | undefined;
  body: { model?: string; input?: string[]; dimensions?: number };
}

export interface FakeOpenAi {
  baseUrl: string;
  requests: RecordedRequest[];
  /** Most requests in flight at once since start. */
  maxInFlight: number;
  script(...faults: Fault[]): void;
  /** Resolves once the server has received `count` requests in all. */
  received(count: number): Promise<void>;
  close(): Promise<void>;
}

/** The vector the fake gives a text, scaled by 2 so that the client has to normalise it. */
export function fakeVector(text: string, dimensions: number): number[] {
  return embedText(text, dimensions).map((value) => value * 2);
}

export async function startFakeOpenAi({
  apiKey,
  dimensions,
  answerDelayMs = 0,
}: {
  apiKey?: string;
  dimensions: number;
  /** Delay of normal answers, so that concurrent requests overlap. */
  answerDelayMs?: number;
}): Promise<FakeOpenAi> {
  const faults: Fault[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  let inFlight = 0;

  const answer = (res: ServerResponse, status: number, body: unknown, headers = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
  const error = (message: string, type = 'invalid_request_error') => ({
    error: { message, type, param: null, code: null },
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const recorded: RecordedRequest = {
      authorization: req.headers.authorization,
      body: JSON.parse(raw || '{}'),
    };
    fake.requests.push(recorded);
    for (const waiter of waiters.filter((w) => fake.requests.length >= w.count)) waiter.resolve();

    if (req.method !== 'POST' || req.url !== '/v1/embeddings') {
      return answer(res, 404, error(`no route ${req.method} ${req.url}`));
    }
    if (apiKey && req.headers.authorization !== `Bearer ${apiKey}`) {
      return answer(res, 401, error('Incorrect API key provided.'));
    }
    const fault = faults.shift();
    if (fault && 'hang' in fault) return; // never answers; close() ends the connection
    if (fault && 'status' in fault) {
      const headers = fault.retryAfter ? { 'retry-after': fault.retryAfter } : {};
      return answer(res, fault.status, error(fault.message ?? 'scripted failure'), headers);
    }
    if (fault && 'body' in fault) return answer(res, 200, fault.body);

    const input = recorded.body.input ?? [];
    const size = fault && 'dimensions' in fault ? fault.dimensions : dimensions;
    // Reversed on purpose: the client must order the vectors by their index.
    const data = input
      .map((text, index) => ({ object: 'embedding', index, embedding: fakeVector(text, size) }))
      .reverse();
    if (answerDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, answerDelayMs));
    answer(res, 200, { object: 'list', data, model: recorded.body.model, usage: {} });
  }

  const server = createServer((req, res) => {
    inFlight++;
    fake.maxInFlight = Math.max(fake.maxInFlight, inFlight);
    res.on('close', () => inFlight--);
    handle(req, res).catch((cause: Error) => answer(res, 500, error(cause.message)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const fake: FakeOpenAi = {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests: [],
    maxInFlight: 0,
    script: (...more) => faults.push(...more),
    received: (count) =>
      fake.requests.length >= count
        ? Promise.resolve()
        : new Promise((resolve) => waiters.push({ count, resolve })),
    close: () =>
      new Promise((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
  return fake;
}
