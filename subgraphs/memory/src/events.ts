// Memory events on the kit's pubsub. Topics carry the owner, so a subscriber only ever sees
// changes to its own memories: `<owner>:*` for all, `<owner>:<foldId>` for one fold.
import type { MemoryChange } from './db/writes.js';
import type { MemoryContext } from './context.js';

export const EVENT = 'memory:event';

export const topicOf = (owner: string, foldId: string | null | undefined) =>
  `${owner}:${foldId ?? '*'}`;

export function publishChanges(
  { pubsub }: Pick<MemoryContext, 'pubsub'>,
  owner: string,
  changes: readonly MemoryChange[],
): void {
  for (const change of changes) {
    pubsub.publish(EVENT, topicOf(owner, null), change);
    if (change.foldId) pubsub.publish(EVENT, topicOf(owner, change.foldId), change);
  }
}
