// Coalesces identical entity fetches of subscription events. Every subscriber of a topic gets
// the same event at about the same moment; without this, each would fetch the same entities
// again. A fetch is identical when the identity, the subgraph, the operation and its variables
// (the entities' keys) are: its answer is shared while it is in flight and for a short window
// after (the time an event's copies take to arrive), never between identities.
import type { SubgraphResponse } from './data-source.js';

export class FetchCoalescer {
  private readonly fetches = new Map<string, Promise<SubgraphResponse>>();

  constructor(private readonly windowMs = 100) {}

  /** Runs identical fetches once; each caller gets its own copy of the answer, since the
   * plan executor writes into the data it receives. */
  run(key: string, fetch: () => Promise<SubgraphResponse>): Promise<SubgraphResponse> {
    let pending = this.fetches.get(key);
    if (!pending) {
      const started = fetch();
      pending = started;
      this.fetches.set(key, started);
      const forget = () => {
        if (this.fetches.get(key) === started) this.fetches.delete(key);
      };
      started.then(() => setTimeout(forget, this.windowMs).unref(), forget);
    }
    return pending.then((body) => structuredClone(body));
  }

  clear(): void {
    this.fetches.clear();
  }
}
