// Drains an adapter's stream for a test: the deltas seen, the final event, and the error if any.
import type { StreamEvent } from '../../src/llm/types.js';

export interface Drained {
  deltas: string[];
  done: Extract<StreamEvent, { type: 'done' }> | undefined;
  error: unknown;
}

export async function drain(
  stream: AsyncIterable<StreamEvent>,
  onDelta?: (index: number) => void,
): Promise<Drained> {
  const drained: Drained = { deltas: [], done: undefined, error: undefined };
  try {
    for await (const event of stream) {
      if (event.type === 'done') drained.done = event;
      else {
        drained.deltas.push(event.text);
        onDelta?.(drained.deltas.length - 1);
      }
    }
  } catch (err) {
    drained.error = err;
  }
  return drained;
}
