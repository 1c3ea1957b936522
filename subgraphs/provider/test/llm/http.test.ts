import { CallControl, parseRetryAfter, sseEvents } from '../../src/llm/adapters/http.js';

const TIMEOUTS = { connectMs: 5_000, firstTokenMs: 5_000, totalMs: 5_000 };

/** A response whose body arrives in exactly these pieces. */
function chunked(pieces: string[]): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const piece of pieces) controller.enqueue(encoder.encode(piece));
      controller.close();
    },
  });
  return new Response(body);
}

async function events(pieces: string[]) {
  const control = new CallControl(TIMEOUTS, undefined, []);
  const seen = [];
  try {
    for await (const event of sseEvents(chunked(pieces), control)) seen.push(event);
  } finally {
    control.dispose();
  }
  return seen;
}

describe('sseEvents', () => {
  it('reassembles lines split across chunks, CRLF split included', async () => {
    const seen = await events(['data: {"a"', ':1}\r', '\n\r\nevent: ping\r\nda', 'ta: x\r\n\r\n']);
    expect(seen).toEqual([
      { event: 'message', data: '{"a":1}' },
      { event: 'ping', data: 'x' },
    ]);
  });

  it('joins multi-line data, skips comments, drops an unfinished last event (as the spec says)', async () => {
    const seen = await events([': keep-alive\n\ndata: one\ndata:two\n\ndata: [DONE]']);
    expect(seen).toEqual([{ event: 'message', data: 'one\ntwo' }]);
  });

  it('decodes UTF-8 split inside a character', async () => {
    const bytes = new TextEncoder().encode('data: héllo\n\n');
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, 8));
        controller.enqueue(bytes.slice(8));
        controller.close();
      },
    });
    const control = new CallControl(TIMEOUTS, undefined, []);
    const seen = [];
    for await (const event of sseEvents(new Response(body), control)) seen.push(event.data);
    control.dispose();
    expect(seen).toEqual(['héllo']);
  });
});

describe('parseRetryAfter', () => {
  const headers = (init: Record<string, string>) => new Headers(init);

  it('reads seconds, an HTTP date and retry-after-ms', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter(headers({ 'retry-after': '2' }), now)).toBe(2000);
    expect(parseRetryAfter(headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:03 GMT' }), now)).toBe(
      3000,
    );
    expect(parseRetryAfter(headers({ 'retry-after-ms': '250', 'retry-after': '1' }), now)).toBe(
      250,
    );
  });

  it('gives nothing for a missing or unreadable header, and never a negative delay', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter(headers({}), now)).toBeUndefined();
    expect(parseRetryAfter(headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(parseRetryAfter(headers({ 'retry-after': 'Tue, 31 Dec 2024 23:59:00 GMT' }), now)).toBe(
      0,
    );
  });
});
