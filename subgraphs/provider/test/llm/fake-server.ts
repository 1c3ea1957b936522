// What the fake provider servers share: a real node:http server on 127.0.0.1 port 0 that records
// every request, follows a queue of scripted behaviours and can tear its connections down.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How a recorded request ended, as the server saw it. */
export type CallOutcome = 'finished' | 'closed-by-client' | 'cut-by-server';

export interface RecordedCall {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: any;
  /** Settles when the response is over: a client that aborted shows as 'closed-by-client'. */
  outcome: Promise<CallOutcome>;
}

export interface FakeServer<B> {
  /** The base URL to give the adapter. */
  url: string;
  /** Every request so far, in order. */
  calls: RecordedCall[];
  /** Queues a behaviour for the next request; unscripted requests get the happy answer. */
  script(behaviour: B): void;
  /** How many calls the client closed before their answer was over. */
  readonly clientAborts: number;
  /** Closes the server and every connection still open (hanging ones too). */
  close(): Promise<void>;
}

export type Handler<B> = (
  call: RecordedCall,
  res: ServerResponse,
  behaviour: B | undefined,
  cut: () => void,
) => Promise<void> | void;

export async function startFakeServer<B>(
  basePath: string,
  handle: Handler<B>,
): Promise<FakeServer<B>> {
  const calls: RecordedCall[] = [];
  const queue: B[] = [];
  let clientAborts = 0;
  const server = createServer((req, res) => {
    const pieces: Buffer[] = [];
    req.on('data', (piece: Buffer) => pieces.push(piece));
    req.on('end', () => {
      let cutByServer = false;
      let settle!: (outcome: CallOutcome) => void;
      const outcome = new Promise<CallOutcome>((resolve) => (settle = resolve));
      res.on('close', () => {
        if (res.writableFinished) return settle('finished');
        if (cutByServer) return settle('cut-by-server');
        clientAborts += 1;
        settle('closed-by-client');
      });
      const text = Buffer.concat(pieces).toString('utf8');
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // kept as text: a test may want to see what was sent
      }
      const call: RecordedCall = {
        method: req.method ?? '',
        path: (req.url ?? '').replace(basePath, ''),
        headers: req.headers,
        body,
        outcome,
      };
      calls.push(call);
      const cut = () => {
        cutByServer = true;
        res.socket?.destroy();
      };
      Promise.resolve(handle(call, res, queue.shift(), cut)).catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${basePath}`,
    calls,
    script: (behaviour) => void queue.push(behaviour),
    get clientAborts() {
      return clientAborts;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** Writes one JSON answer. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** Writes and waits until the bytes are handed to the OS (so a cut right after keeps them). */
export function write(res: ServerResponse, text: string): Promise<void> {
  return new Promise((resolve, reject) =>
    res.write(text, (err) => (err ? reject(err) : resolve())),
  );
}

/** Resolves after `ms`; the fakes use it only to hold an answer back, never to wait for state. */
export function holdFor(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** The last user message of a chat request: what the fakes echo when not scripted. */
export function lastUserText(body: any): string {
  const messages: { role: string; content: string }[] = body?.messages ?? [];
  return messages.filter((m) => m.role === 'user').at(-1)?.content ?? '';
}

/** Word pieces that join back to the text exactly, like real tokens do. */
export function tokens(text: string): string[] {
  return text.split(/(?<=\s)(?=\S)/).filter((piece) => piece !== '');
}

/** A rough prompt size, ~4 characters a token. */
export function promptTokens(body: any): number {
  const messages: { content: string }[] = body?.messages ?? [];
  const system = typeof body?.system === 'string' ? body.system : '';
  return Math.ceil((system + messages.map((m) => m.content).join('')).length / 4);
}
