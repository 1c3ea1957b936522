// A scripted stand-in for a graphql-ws Client: it records every operation the provider starts,
// and the test answers them (or closes the "socket") when it wants to.
import type { Client, FormattedExecutionResult, Sink, SubscribePayload } from 'graphql-ws';
import * as Y from 'yjs';

export interface FakeOperation {
  payload: SubscribePayload;
  sink: Sink<FormattedExecutionResult>;
  cancelled: boolean;
}

export class FakeClient {
  readonly operations: FakeOperation[] = [];
  private readonly listeners = new Map<string, Set<(...args: unknown[]) => void>>();

  asClient(): Client {
    return this as unknown as Client;
  }

  on(event: string, listener: (...args: unknown[]) => void) {
    const set = this.listeners.get(event) ?? new Set();
    this.listeners.set(event, set);
    set.add(listener);
    return () => set.delete(listener);
  }

  emit(event: string, ...args: unknown[]) {
    this.listeners.get(event)?.forEach((listener) => listener(...args));
  }

  subscribe(payload: SubscribePayload, sink: Sink<FormattedExecutionResult>) {
    const operation: FakeOperation = { payload, sink, cancelled: false };
    this.operations.push(operation);
    return () => {
      operation.cancelled = true;
    };
  }

  /** The live operations whose name contains `name`, oldest first. */
  live(name: string): FakeOperation[] {
    return this.operations.filter(
      (operation) => !operation.cancelled && operation.payload.query.includes(name),
    );
  }

  /** Answers the oldest live operation named `name` and returns it. */
  answer(name: string, result: FormattedExecutionResult): FakeOperation {
    const operation = this.live(name)[0];
    if (!operation) throw new Error(`no live ${name}`);
    operation.cancelled = true;
    operation.sink.next(result);
    operation.sink.complete();
    return operation;
  }
}

export const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
export const bytes = (text: string) => new Uint8Array(Buffer.from(text, 'base64'));

/** The documentSync answer of a server that holds `server` at `seq`. */
export function syncAnswer(server: Y.Doc, clientVector: string | undefined, seq: number) {
  const update = Y.encodeStateAsUpdate(server, clientVector ? bytes(clientVector) : undefined);
  return {
    data: {
      documentSync: {
        update: base64(update),
        stateVector: base64(Y.encodeStateVector(server)),
        seq,
      },
    },
  };
}
