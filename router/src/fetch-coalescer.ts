// Coalesces identical entity fetches of subscription events. Every subscriber of a topic gets
// the same event at about the same moment; without this, each would fetch the same entities
// again. A fetch is identical when the identity, the subgraph, the operation and its variables
// (the entities' keys) are: its answer is shared while it is in flight and for a short window
// after (the time an event's copies take to arrive), never between identities.
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';

type Body = Pick<GatewayGraphQLResponse, 'data' | 'errors' | 'extensions'>;

export class FetchCoalescer {
  private readonly fetches = new Map<string, Promise<Body>>();

  constructor(private readonly windowMs = 100) {}

  /** Runs identical fetches once; each caller gets its own copy of the answer, since the
   * gateway writes into the data it receives. */
  run(key: string, fetch: () => Promise<GatewayGraphQLResponse>): Promise<GatewayGraphQLResponse> {
    let pending = this.fetches.get(key);
    if (!pending) {
      // Only the GraphQL body: `http` holds the fetch Response, which cannot be copied.
      const started = fetch().then(({ data, errors, extensions }) => ({
        data,
        errors,
        extensions,
      }));
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
