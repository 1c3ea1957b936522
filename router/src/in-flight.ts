// Work shared by identical callers while it runs: the first caller of a key starts it, the
// ones that come before it ends join it, and nothing is kept once it has ended (not a cache).
// The work runs with a signal of its own that aborts only when every caller has gone, so that
// no caller's going away fails the others. Used for identical subgraph queries
// (data-source.ts) and identical operations of one identity (inbound-dedup.ts).

interface Entry<T> {
  result: Promise<T>;
  /** Callers still waiting, the first one included. */
  waiting: number;
  controller: AbortController;
}

export class InFlight<T> {
  private readonly entries = new Map<string, Entry<T>>();

  /**
   * The result of the work of `key`: started with `start` when none is in flight, joined
   * otherwise (`onJoined` is then called). `signal` says when this caller has gone.
   */
  run(
    key: string,
    signal: AbortSignal | undefined,
    start: (signal: AbortSignal) => Promise<T>,
    onJoined?: () => void,
  ): Promise<T> {
    let entry = this.entries.get(key);
    if (entry) {
      onJoined?.();
    } else {
      const controller = new AbortController();
      const started: Entry<T> = {
        controller,
        waiting: 0,
        result: new Promise<T>((resolve) => resolve(start(controller.signal))),
      };
      entry = started;
      this.entries.set(key, started);
      const forget = () => this.forget(key, started);
      started.result.then(forget, forget);
    }
    this.join(key, entry, signal);
    return entry.result;
  }

  /** Work in flight, and the callers waiting for it. */
  stats(): { executions: number; callers: number } {
    let callers = 0;
    for (const entry of this.entries.values()) callers += entry.waiting;
    return { executions: this.entries.size, callers };
  }

  /** Counts a caller in until it goes away; the last one to go stops the work, which nobody
   * may join any more. */
  private join(key: string, entry: Entry<T>, signal: AbortSignal | undefined): void {
    entry.waiting += 1;
    if (!signal) return;
    const leave = () => {
      entry.waiting -= 1;
      if (entry.waiting > 0) return;
      this.forget(key, entry);
      entry.controller.abort(signal.reason);
    };
    if (signal.aborted) return leave();
    signal.addEventListener('abort', leave, { once: true });
    const stopListening = () => signal.removeEventListener('abort', leave);
    entry.result.then(stopListening, stopListening);
  }

  private forget(key: string, entry: Entry<T>): void {
    if (this.entries.get(key) === entry) this.entries.delete(key);
  }
}
