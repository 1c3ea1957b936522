// Reading the answers of an OpenAI-compatible /embeddings endpoint: errors classified for the
// retry loop, vectors checked and put in input order.
import { retryAfterMs } from '@supergraph/kit';
import { EmbeddingError } from './embedder.js';
import { normalise, vectorProblem } from './vector.js';

/** Enough of a server's error message for a log line; bodies can be whole HTML pages. */
const MAX_MESSAGE_LENGTH = 500;

/** A failure worth retrying: network error, timeout, 5xx or 429. */
export class TransientFailure extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Turns a non-2xx answer into a retryable failure (5xx, 429) or a rejection (other 4xx). */
export async function httpFailure(response: Response): Promise<Error> {
  const message = serverMessage(await response.text().catch(() => ''));
  const status = response.status;
  if (status === 429 || status >= 500) {
    const honoursRetryAfter = status === 429 || status === 503;
    const delay = honoursRetryAfter ? retryAfterMs(response.headers.get('retry-after')) : undefined;
    const detail = message ? `: ${message}` : '';
    return new TransientFailure(`embedding service failed (HTTP ${status})${detail}`, delay);
  }
  return new EmbeddingError(
    'EMBEDDING_REJECTED',
    `embedding service rejected the request (HTTP ${status}): ${message || response.statusText}`,
  );
}

/** The message of an OpenAI ({error:{message}}), vLLM ({message}) or plain-text error body. */
function serverMessage(text: string): string {
  let message = text.trim();
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    const candidate =
      typeof body.error === 'string' ? body.error : (body.error?.message ?? body.message);
    if (typeof candidate === 'string') message = candidate;
  } catch {
    // not JSON: keep the text itself
  }
  return message.slice(0, MAX_MESSAGE_LENGTH);
}

/** Checks an answer ({ data: [{ index, embedding }] }) and returns its vectors in input order. */
export function readVectors(body: unknown, count: number, dimensions: number): number[][] {
  const invalid = (why: string) =>
    new EmbeddingError('EMBEDDING_INVALID', `embedding service answer ${why}`);
  const data = (body as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) throw invalid('has no data list');
  if (data.length !== count) throw invalid(`holds ${data.length} vectors for ${count} texts`);
  const vectors = new Array<number[] | undefined>(count);
  data.forEach((item: { index?: unknown; embedding?: unknown } | null, position) => {
    // Servers that leave out `index` answer in input order.
    const index = item?.index ?? position;
    if (!Number.isInteger(index) || (index as number) < 0 || (index as number) >= count) {
      throw invalid(`has an item with index ${String(index)}`);
    }
    if (vectors[index as number]) throw invalid(`repeats index ${String(index)}`);
    const problem = vectorProblem(item?.embedding, dimensions);
    if (problem) throw invalid(`vector ${String(index)} ${problem}`);
    vectors[index as number] = normalise(item!.embedding as number[]);
  });
  return vectors as number[][];
}
