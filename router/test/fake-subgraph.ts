// A subgraph that does what a test scripts, attempt by attempt, on 127.0.0.1: answer, fail
// with a status, drop the connection, or hold the request (until released); it counts the
// attempts and sees the ones the router gave up on. And a router in front of it alone.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestIssuer } from '@supergraph/kit/testing';
import { parseConfig } from '../src/config.js';
import { createRouter, type Router } from '../src/router.js';
import { greeterSupergraph } from './greeter.js';

export type Step =
  | { answer: 'ok' }
  | { status: number; retryAfter?: string; body?: unknown }
  | { drop: true }
  | { hold: true };

export interface Attempt {
  operation: string;
  /** The router closed the request before it was answered. */
  abandoned: boolean;
}

const ANSWER = { data: { greeting: 'hello', greet: 'hello' } };

export async function startFakeSubgraph(script: Step[] = [], then: Step = { answer: 'ok' }) {
  const attempts: Attempt[] = [];
  const held: ServerResponse[] = [];
  const respond = (step: Step, request: IncomingMessage, response: ServerResponse) => {
    if ('drop' in step) return void request.socket.destroy();
    if ('hold' in step) return void held.push(response);
    if ('status' in step) {
      response.statusCode = step.status;
      if (step.retryAfter) response.setHeader('retry-after', step.retryAfter);
      // Without a body of its own, what a proxy in front of a failing subgraph says.
      if (step.body === undefined) return void response.end('upstream failing');
      response.setHeader('content-type', 'application/json');
      return void response.end(JSON.stringify(step.body));
    }
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify(ANSWER));
  };
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const attempt: Attempt = {
        operation: (JSON.parse(body) as { query: string }).query,
        abandoned: false,
      };
      attempts.push(attempt);
      response.on('close', () => {
        if (!response.writableFinished) attempt.abandoned = true;
      });
      respond(script[attempts.length - 1] ?? then, request, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  return {
    url,
    attempts,
    /** Answers the requests held so far. */
    release: () => {
      for (const response of held.splice(0)) {
        if (!response.destroyed) respond({ answer: 'ok' }, response.req, response);
      }
    },
    close: async () => {
      for (const response of held) response.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A router whose one subgraph is at `url`, with `env` on top of quiet defaults. */
export async function routerFor(url: string, env: Record<string, string> = {}) {
  const issuer = await createTestIssuer();
  const router: Router = await createRouter(
    parseConfig({ LOG_LEVEL: 'silent', PORT: '0', ...env }),
    { supergraphSdl: greeterSupergraph(url), verifier: issuer.verifier },
  );
  const { url: routerUrl } = await router.listen();
  return { router, url: routerUrl, issuer };
}
