// A router alone on the composed supergraph, its tokens from a test issuer, and a fake memory
// subgraph that holds each request until the test lets it through: traffic tests see exactly
// which requests the router let in, in which order, without starting the real subgraphs.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestIssuer } from '@supergraph/kit/testing';
import { parseConfig } from '../../router/src/config.js';
import { createRouter, type Router } from '../../router/src/router.js';
import { SUPERGRAPH_FILE } from '../../schema/compose.js';
import { SUBGRAPHS } from '../harness.js';

/** Nothing listens there: a subgraph that the test does not fake is down. */
const NOWHERE = 'http://127.0.0.1:1/graphql';

export interface LoneRouter {
  router: Router;
  url: string;
  /** A token of `userId` with the memory scopes. */
  token(userId: string): Promise<string>;
  close(): Promise<void>;
}

type Issuer = Awaited<ReturnType<typeof createTestIssuer>>;

export async function startLoneRouter(
  env: Record<string, string> = {},
  {
    memoryUrl = NOWHERE,
    /** Replicas share one, so that a token is good at each. */
    issuer = undefined as Issuer | undefined,
  } = {},
): Promise<LoneRouter> {
  issuer ??= await createTestIssuer();
  const urls = SUBGRAPHS.map((name) => `${name}=${name === 'memory' ? memoryUrl : NOWHERE}`);
  const router = await createRouter(
    parseConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      PORT: '0',
      SUBGRAPH_URLS: urls.join(','),
      ...env,
    }),
    { supergraphSdl: readFileSync(SUPERGRAPH_FILE, 'utf8'), verifier: issuer.verifier },
  );
  const { url } = await router.listen();
  return {
    router,
    url,
    token: (userId) => issuer.token(userId, ['memory:read', 'memory:write']),
    close: () => router.close(),
  };
}

/** `memories(first: $n)` answers one memory `m<n>`; `createMemory(input: { content: $c })`
 * answers a memory whose id is the content. The tag of a request is its `n` or its `c`. */
export const LIST = 'query List($n: Int) { memories(first: $n) { nodes { id } } }';
export const CREATE =
  'mutation Create($c: String!) { createMemory(input: { content: $c }) { id } }';

async function bodyOf(request: IncomingMessage) {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
    query: string;
    variables?: { n?: number; c?: string };
  };
}

export interface GatedSubgraph {
  url: string;
  /** Tags of the requests that reached the subgraph, in order of arrival. */
  received: string[];
  /** Requests held at the gate now. */
  held(): number;
  /** Lets the oldest held request through. */
  releaseOne(): void;
  /** Lets every held request through, and every later one at once. */
  open(): void;
  close(): Promise<void>;
}

export async function startGatedSubgraph(): Promise<GatedSubgraph> {
  const received: string[] = [];
  const waiting: (() => void)[] = [];
  let opened = false;
  const server = createServer((request, response) => {
    void bodyOf(request).then(async ({ query, variables = {} }) => {
      const tag = String(variables.n ?? variables.c);
      received.push(tag);
      if (!opened) await new Promise<void>((resolve) => waiting.push(resolve));
      const data = query.includes('createMemory')
        ? { createMemory: { id: tag } }
        : { memories: { nodes: [{ id: `m${tag}` }] } };
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ data }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const open = () => {
    opened = true;
    for (const resolve of waiting.splice(0)) resolve();
  };
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    received,
    held: () => waiting.length,
    releaseOne: () => waiting.shift()?.(),
    open,
    async close() {
      open();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
