// The database side of "work stops when its caller stops": each statement reads the current
// signal (cancellation.ts) when it starts. For a caller that is gone no statement starts
// (ROLLBACK excepted, so that a transaction still ends cleanly); on node-postgres the running
// statement of a caller that goes away is cancelled by pg_cancel_backend of its connection.
import type { PGlite, Transaction } from '@electric-sql/pglite';
import pg from 'pg';
import { cancelledError, currentSignal, throwIfCallerGone } from './cancellation.js';

/** SQLSTATE query_canceled: pg_cancel_backend and statement_timeout both end a statement so. */
const QUERY_CANCELED = '57014';
const ROLLBACK = /^\s*rollback\b/i;

type Callback = (error: Error | null, result?: unknown) => void;

// node-postgres' own query methods, called on our subclasses with all their overloads.
const clientQuery = (client: pg.Client, args: unknown[]): any =>
  (pg.Client.prototype.query as (...args: unknown[]) => unknown).apply(client, args);
const poolQuery = (pool: pg.Pool, args: unknown[]): any =>
  (pg.Pool.prototype.query as (...args: unknown[]) => unknown).apply(pool, args);

const textOf = (config: unknown): string | undefined =>
  typeof config === 'string' ? config : (config as { text?: string } | undefined)?.text;

/** Cancels the running statement of a backend over a connection of its own (the pool may be
 * all busy with the very statements to cancel). Opened on first use. */
export function createBackendCanceller(connectionString: string) {
  let connection: Promise<pg.Client> | undefined;
  const open = async () => {
    const client = new pg.Client({ connectionString });
    client.on('error', () => {
      connection = undefined; // a dropped connection is opened again on the next cancel
    });
    await client.connect();
    return client;
  };
  return {
    async cancel(pid: number): Promise<void> {
      connection ??= open().catch((error: unknown) => {
        connection = undefined;
        throw error;
      });
      await (await connection).query('SELECT pg_cancel_backend($1)', [pid]);
    },
    async close(): Promise<void> {
      const client = await connection?.catch(() => undefined);
      connection = undefined;
      await client?.end();
    },
  };
}

export type BackendCanceller = ReturnType<typeof createBackendCanceller>;

/**
 * A node-postgres pool whose statements follow the current signal. `query` of the pool is
 * rebuilt on promises: pg-pool hands a waiting caller its connection from inside another
 * caller's release, which would run the statement under that other caller's signal.
 */
export function createCancellablePool(
  config: pg.PoolConfig,
  canceller: BackendCanceller,
  statementTimeoutMs: number,
): pg.Pool {
  class CancellableClient extends pg.Client {
    override query(...args: any[]): any {
      const signal = currentSignal();
      const [config] = args;
      if (!signal || typeof config?.submit === 'function') return clientQuery(this, args);
      const callback: Callback | undefined =
        typeof args.at(-1) === 'function' ? (args.pop() as Callback) : undefined;
      const run = this.follow(signal, textOf(config), () => clientQuery(this, args));
      if (!callback) return run;
      run.then(
        (result) => callback(null, result),
        (error: Error) => callback(error),
      );
      return undefined;
    }

    private async follow<T>(signal: AbortSignal, text: string | undefined, run: () => Promise<T>) {
      if (!(text && ROLLBACK.test(text))) throwIfCallerGone(signal);
      const pid = (this as unknown as { processID: number }).processID;
      let cancelling: Promise<void> | undefined;
      const cancel = () => {
        cancelling = canceller.cancel(pid).catch(() => undefined);
      };
      signal.addEventListener('abort', cancel, { once: true });
      try {
        return await run();
      } catch (error) {
        if ((error as { code?: string }).code !== QUERY_CANCELED) throw error;
        throw signal.aborted
          ? cancelledError('caller-gone', { cause: error })
          : cancelledError('statement-timeout', { cause: error, timeoutMs: statementTimeoutMs });
      } finally {
        signal.removeEventListener('abort', cancel);
        // The connection goes back to the pool only once the cancel has landed, so that it
        // cannot hit the next caller's statement on it.
        await cancelling;
      }
    }
  }

  class CancellablePool extends pg.Pool {
    override query(...args: any[]): any {
      const [config] = args;
      if (typeof args.at(-1) === 'function' || typeof config?.submit === 'function') {
        return poolQuery(this, args);
      }
      return this.queryOnOwnConnection(args);
    }

    private async queryOnOwnConnection(args: any[]) {
      const client = await this.connect();
      try {
        const result = await (client.query as any)(...args);
        client.release();
        return result;
      } catch (error) {
        // As pg-pool does: a connection whose statement failed is not trusted again.
        client.release(error as Error);
        throw error;
      }
    }
  }

  return new CancellablePool({ ...config, Client: CancellableClient });
}

type Runner = (...args: any[]) => Promise<unknown>;

const guarded = <F extends Runner>(run: F): F =>
  (async (...args: unknown[]) => {
    throwIfCallerGone();
    return run(...args);
  }) as F;

/**
 * PGlite runs each statement synchronously inside its WASM module: while one runs, the event
 * loop is blocked, nothing can interrupt it, and PostgreSQL's statement_timeout is accepted
 * but never fires (no timer signals in WASM). What can be enforced is enforced: no statement
 * of a caller that is gone starts (inside a transaction, the refusal rolls it back).
 */
export function guardPglite(client: PGlite): PGlite {
  client.query = guarded(client.query.bind(client));
  client.exec = guarded(client.exec.bind(client));
  const transaction = client.transaction.bind(client);
  client.transaction = (<T>(callback: (tx: Transaction) => Promise<T>) =>
    transaction((tx) => {
      tx.query = guarded(tx.query);
      tx.exec = guarded(tx.exec);
      return callback(tx);
    })) as PGlite['transaction'];
  return client;
}
