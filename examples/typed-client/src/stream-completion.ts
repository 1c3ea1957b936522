// A completion streamed to the end through urql: its chunks, up to the final one.
import type { Client } from '@urql/core';
import type { CompletionInput, CompletionStreamSubscription } from './generated/graphql.js';
import { CompletionStream } from './operations.js';

export type CompletionChunk = CompletionStreamSubscription['completionStream'];

/** Resolves with every chunk once the final one (`done`) arrives; rejects on an error. */
export function streamCompletion(client: Client, input: CompletionInput) {
  return new Promise<CompletionChunk[]>((resolve, reject) => {
    const chunks: CompletionChunk[] = [];
    const { unsubscribe } = client
      .subscription(CompletionStream, { input })
      .subscribe(({ data, error }) => {
        if (error) return reject(error);
        // The app stops at `done`: urql repeats the last result when the stream completes.
        const chunk = data!.completionStream;
        chunks.push(chunk);
        if (chunk.done) {
          unsubscribe();
          resolve(chunks);
        }
      });
  });
}
