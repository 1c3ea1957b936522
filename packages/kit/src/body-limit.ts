// The request body limit, enforced on the stream: a body announced larger than the limit is
// refused before a byte is read, and one that grows past it while it arrives (chunked, or
// with a Content-Length that lies) is refused as soon as it does, so no body larger than the
// limit is ever held in memory.
import type { Plugin } from 'graphql-yoga';

const METHODS_WITHOUT_BODY = new Set(['GET', 'HEAD', 'OPTIONS']);

function tooLarge(fetchAPI: { Response: typeof Response }, message: string) {
  return new fetchAPI.Response(
    JSON.stringify({ errors: [{ message, extensions: { code: 'PAYLOAD_TOO_LARGE' } }] }),
    {
      status: 413,
      // The rest of an oversized body is not worth reading: the connection ends after this.
      headers: { 'content-type': 'application/json; charset=utf-8', connection: 'close' },
    },
  );
}

/** Reads a body stream up to `maxBytes`; undefined once it grows past them (reading stops). */
export async function readBodyWithin(
  body: ReadableStream<Uint8Array>,
  maxBytes: number,
): Promise<Uint8Array<ArrayBuffer> | undefined> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  const whole = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    whole.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return whole;
}

/** Refuses bodies over `maxBytes` with 413 PAYLOAD_TOO_LARGE, chunked ones included. */
export function requestBodyLimit(maxBytes: number): Plugin {
  const limitText = `the limit is ${maxBytes} bytes`;
  return {
    async onRequest({ request, setRequest, endResponse, fetchAPI }) {
      if (METHODS_WITHOUT_BODY.has(request.method) || !request.body) return;
      const announced = Number(request.headers.get('content-length') ?? 0);
      if (announced > maxBytes) {
        endResponse(tooLarge(fetchAPI, `The request body is ${announced} bytes; ${limitText}.`));
        return;
      }
      const body = await readBodyWithin(request.body, maxBytes);
      if (!body) {
        endResponse(
          tooLarge(fetchAPI, `The request body is larger than ${maxBytes} bytes; ${limitText}.`),
        );
        return;
      }
      setRequest(
        new fetchAPI.Request(request.url, {
          method: request.method,
          headers: request.headers,
          body,
          signal: request.signal,
        }),
      );
    },
  };
}
