// A feed: one upstream subscription whose events run through the query plan once and go, in
// order, to each of its listeners. A subscription of its own has a feed of its own; identical
// subscriptions of one identity to a @topic field share one. Each listener is a subscriber's
// iterator with a bounded backlog: a subscriber that stops reading is ended with OVERLOADED
// rather than holding events (and memory) without bound.
import { Repeater } from '@repeaterjs/repeater';
import type { ExecutionResult, GraphQLError } from 'graphql';
import { codedError, type Logger } from '@supergraph/kit';
import type { UpstreamSink } from './upstream.js';

export interface Listener {
  deliver(result: ExecutionResult): void;
  /** Ends the subscription; the result (if any) is its last event. */
  end(result?: ExecutionResult): void;
}

export interface FeedOptions {
  /** Starts the upstream subscription; returns the function that completes it. */
  start(sink: UpstreamSink): () => void;
  /** Runs the query plan for one event. */
  runEvent(event: ExecutionResult): Promise<ExecutionResult>;
  /** Called once when the feed closes (its last listener left, or upstream ended). */
  onClosed(): void;
  logger: Logger;
}

export class Feed {
  private readonly listeners = new Set<Listener>();
  private delivery: Promise<void> = Promise.resolve();
  private stopUpstream: (() => void) | undefined;
  private closed = false;

  constructor(private readonly options: FeedOptions) {}

  /** Whether a new subscriber may still join (the feed has not ended). */
  get open(): boolean {
    return !this.closed;
  }

  join(listener: Listener): void {
    this.listeners.add(listener);
    this.stopUpstream ??= this.options.start({
      next: (event) => this.onEvent(event),
      end: (errors) => this.onEnd(errors),
    });
  }

  leave(listener: Listener): void {
    this.listeners.delete(listener);
    if (this.listeners.size === 0) this.close();
  }

  private onEvent(event: ExecutionResult): void {
    if (this.closed) return;
    // Events run as they come and are delivered in the order they came.
    const result = this.options.runEvent(event);
    this.delivery = this.delivery
      .then(() => result)
      .then(
        (value) => {
          for (const listener of [...this.listeners]) listener.deliver(value);
        },
        (error: unknown) => {
          this.options.logger.error({ err: error }, 'subscription event failed');
          this.endAll({
            errors: [codedError('INTERNAL_SERVER_ERROR', 'A subscription event failed.')],
          });
        },
      );
  }

  private onEnd(errors: readonly GraphQLError[] | undefined): void {
    this.delivery = this.delivery.then(() => this.endAll(errors?.length ? { errors } : undefined));
  }

  endAll(result?: ExecutionResult): void {
    this.close();
    for (const listener of [...this.listeners]) listener.end(result);
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.options.onClosed();
    this.stopUpstream?.();
  }
}

/** A subscriber's iterator on a feed, holding at most `maxQueued` undelivered events. */
export function listen(
  feed: Feed,
  maxQueued: number,
  track: { add(listener: Listener): void; delete(listener: Listener): void },
): AsyncIterable<ExecutionResult> {
  return new Repeater<ExecutionResult>(async (push, stop) => {
    let queued = 0;
    let ended = false;
    const listener: Listener = {
      deliver(result) {
        if (ended) return;
        if (++queued > maxQueued) {
          listener.end({
            errors: [
              codedError(
                'OVERLOADED',
                `More than ${maxQueued} events waited for this subscriber; it ended. Subscribe again and read faster.`,
              ),
            ],
          });
          return;
        }
        push(result).then(
          () => (queued -= 1),
          () => {},
        );
      },
      end(result) {
        if (ended) return;
        ended = true;
        if (result) push(result).catch(() => {});
        stop();
      },
    };
    track.add(listener);
    feed.join(listener);
    await stop;
    ended = true;
    track.delete(listener);
    feed.leave(listener);
  });
}
