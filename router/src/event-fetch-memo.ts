// Coalesces identical entity fetches of one subscription event across its subscribers. Every
// subscriber of a topic receives the same event on its own upstream subscription, at about the
// same moment; without this, each would fetch the same entities again. An event is known by
// its owning subgraph, the identity it was delivered to and its payload, and is remembered for
// a short window (the time its copies take to arrive), so no fetch is ever shared between
// identities or reused for a later event that differs.
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { ExecutionResult } from 'graphql';

type Fetches = Map<string, Promise<GatewayGraphQLResponse>>;

export type MemoizedFetch = (
  key: string,
  run: () => Promise<GatewayGraphQLResponse>,
) => Promise<GatewayGraphQLResponse>;

export class EventFetchMemo {
  private readonly events = new Map<string, Fetches>();

  constructor(private readonly windowMs = 1_000) {}

  /** Runs identical fetches of this event once; each caller gets its own copy of the answer,
   * since the gateway writes into the data it receives. */
  fetchesOf(serviceName: string, authorization: string, event: ExecutionResult): MemoizedFetch {
    const eventKey = `${serviceName}\n${authorization}\n${JSON.stringify(event)}`;
    let fetches = this.events.get(eventKey);
    if (!fetches) {
      const created: Fetches = new Map();
      fetches = created;
      this.events.set(eventKey, created);
      setTimeout(() => {
        if (this.events.get(eventKey) === created) this.events.delete(eventKey);
      }, this.windowMs).unref();
    }
    const known = fetches;
    return (key, run) => {
      let pending = known.get(key);
      if (!pending) {
        pending = run();
        known.set(key, pending);
      }
      // Only the GraphQL body: `http` holds the fetch Response, which cannot be copied.
      return pending.then(({ data, errors, extensions }) =>
        structuredClone({ data, errors, extensions }),
      );
    };
  }

  /** Events remembered now (for tests and metrics). */
  get size(): number {
    return this.events.size;
  }

  clear(): void {
    this.events.clear();
  }
}
