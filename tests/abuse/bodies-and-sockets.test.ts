// Oversized input on the stream: a chunked body (no Content-Length to refuse it by) and a huge
// WebSocket message are refused with a coded answer while they arrive, at the router and at a
// subgraph reached directly, and the service goes on answering.
import { request } from 'node:http';
import { graphql } from '@supergraph/kit/testing';
import WebSocket from 'ws';
import { startSupergraph, type Supergraph } from '../harness.js';
import { websocketUrl } from '../realtime.js';

const MIB = 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, 'x');

let supergraph: Supergraph;
beforeAll(async () => {
  supergraph = await startSupergraph();
});
afterAll(() => supergraph.close());

/** POSTs `total` bytes with Transfer-Encoding: chunked and resolves with the answer, which
 * may arrive (and the socket close) before the whole body was sent. */
function postChunked(url: string, total: number) {
  return new Promise<{ status: number; body: string; sent: number }>((resolve, reject) => {
    let sent = 0;
    const call = request(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body, sent }));
      },
    );
    call.on('error', reject);
    const pump = () => {
      while (sent < total) {
        sent += CHUNK.length;
        if (!call.write(CHUNK)) return void call.once('drain', pump);
      }
      call.end('"}}');
    };
    call.write('{"query":"{ __typename }","extensions":{"padding":"');
    pump();
  });
}

/** Sends one message of `bytes` after connection_init; resolves with the close code. */
function sendHugeMessage(url: string, bytes: number) {
  return new Promise<{ code: number; reason: string }>((resolve, reject) => {
    const socket = new WebSocket(websocketUrl(url), 'graphql-transport-ws');
    socket.on('open', () => {
      socket.send(JSON.stringify({ type: 'connection_init' }));
      socket.send(Buffer.alloc(bytes, 'x'));
    });
    socket.on('error', () => {}); // the close event carries the outcome
    socket.on('close', (code, reason) => resolve({ code, reason: String(reason) }));
    setTimeout(() => reject(new Error('the socket was not closed')), 60_000).unref();
  });
}

describe.each([
  ['the router', () => supergraph.url],
  ['the memory subgraph', () => supergraph.subgraphUrls.memory],
])('%s', (_name, urlOf) => {
  it('refuses a 5 MB chunked body with 413 PAYLOAD_TOO_LARGE and keeps serving', async () => {
    const url = urlOf();
    const answer = await postChunked(url, 5 * MIB);
    expect(answer.status).toBe(413);
    const body = JSON.parse(answer.body) as { errors: { message: string; extensions: object }[] };
    expect(body.errors[0]!.extensions).toEqual({ code: 'PAYLOAD_TOO_LARGE' });
    expect(body.errors[0]!.message).toMatch(/larger than 1048576 bytes/);

    const after = await graphql(url, { query: '{ __typename }' });
    expect(after.data).toEqual({ __typename: 'Query' });
  });

  it('still takes a chunked body under the limit', async () => {
    const url = urlOf();
    const answer = await postChunked(url, 256 * 1024);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ data: { __typename: 'Query' } });
  });

  it('closes a WebSocket that sends a 20 MB message with 1009 and keeps serving', async () => {
    const url = urlOf();
    const closed = await sendHugeMessage(url, 20 * MIB);
    expect(closed.code).toBe(1009);

    const after = await graphql(url, { query: '{ __typename }' });
    expect(after.data).toEqual({ __typename: 'Query' });
  });
});
