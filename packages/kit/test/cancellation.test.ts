// Work stops when its caller stops, in process: resolvers give the event loop its turns and
// are dropped once the caller has gone; on PGlite no statement of a gone caller starts, and a
// transaction it was in rolls back.
import { buildSubgraphSchema } from '@apollo/subgraph';
import { sql } from 'drizzle-orm';
import { execute, parse } from 'graphql';
import { createYoga } from 'graphql-yoga';
import { currentSignal, useRequestSignal, withSignal } from '../src/cancellation.js';
import { openDatabase, type DatabaseHandle } from '../src/database.js';
import { withEventLoopTurns } from '../src/event-loop-turns.js';
import { rejectionCode, thingsMigrations } from './migrations-fixture.js';

const ITEMS = 200;
const typeDefs = parse(`
  type Query { items: [Item!]! signalOfRequest: Boolean! }
  type Item { id: Int! value: Int! }
`);

/** Items whose `value` resolves asynchronously, counting the calls: on its own such a list
 * completes on promise jobs alone, without a turn of the event loop. */
function itemResolvers(calls: { value: number }) {
  return {
    Query: {
      items: () => Array.from({ length: ITEMS }, (_, id) => ({ id })),
      signalOfRequest: () => currentSignal() !== undefined,
    },
    Item: {
      value: async ({ id }: { id: number }) => {
        calls.value += 1;
        return id * 2;
      },
    },
  };
}

const QUERY = parse('{ items { id value } }');
/** Turns of the event loop in which nothing more may run for a caller that has gone. */
const TURNS_AFTER_ABORT = 20;
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('resolvers and the turns of the event loop', () => {
  it('let the event loop turn during a long execution', async () => {
    const order: string[] = [];
    const calls = { value: 0 };
    // A slice of 0 ms: every resolver after the first of a turn finds the turn long.
    const schema = buildSubgraphSchema({
      typeDefs,
      resolvers: withEventLoopTurns(itemResolvers(calls), 0) as never,
    });
    setImmediate(() => order.push(`turn after ${calls.value} values`));
    const result = await execute({ schema, document: QUERY });
    expect(result.errors).toBeUndefined();
    expect((result.data as { items: unknown[] }).items).toHaveLength(ITEMS);
    expect(order).toHaveLength(1);
    expect(order[0]).not.toBe(`turn after ${ITEMS} values`);
  });

  it('drop the resolvers still waiting for a turn once the caller has gone', async () => {
    const calls = { value: 0 };
    const schema = buildSubgraphSchema({
      typeDefs,
      resolvers: withEventLoopTurns(itemResolvers(calls), 0) as never,
    });
    const caller = new AbortController();
    let settled = false;
    void Promise.resolve(
      withSignal(caller.signal, () => execute({ schema, document: QUERY })),
    ).then(() => {
      settled = true;
    });
    await nextTurn();
    caller.abort();
    const atAbort = calls.value;
    for (let turn = 0; turn < TURNS_AFTER_ABORT; turn += 1) await nextTurn();
    expect(atAbort).toBeLessThan(ITEMS);
    expect(calls.value).toBe(atAbort);
    expect(settled).toBe(false); // the request's own result is settled by useRequestSignal
  });

  it("makes the request's signal the current signal of its resolvers", async () => {
    const yoga = createYoga({
      schema: buildSubgraphSchema({ typeDefs, resolvers: itemResolvers({ value: 0 }) as never }),
      plugins: [useRequestSignal()],
    });
    const response = await yoga.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ signalOfRequest }' }),
    });
    expect(await response.json()).toEqual({ data: { signalOfRequest: true } });
  });
});

describe('PGlite statements of a caller that has gone', () => {
  const migrations = thingsMigrations();
  let handle: DatabaseHandle<Record<string, never>>;
  beforeAll(async () => {
    handle = await openDatabase({ migrationsFolder: migrations.folder, schema: {} });
  });
  afterAll(async () => {
    await handle?.close();
    migrations.remove();
  });

  // drizzle's queries are lazy: they run (and read the current signal) when awaited, which a
  // resolver does inside its request; so do these tests.
  const count = async () =>
    (
      (await handle.db.execute(sql`SELECT count(*)::int AS n FROM things`)) as unknown as {
        rows: { n: number }[];
      }
    ).rows[0]!.n;

  it('never start, with CANCELLED; statements outside any request still run', async () => {
    const gone = AbortSignal.abort();
    expect(
      await rejectionCode(
        withSignal(gone, async () => await handle.db.execute(sql`INSERT INTO things VALUES (1)`)),
      ),
    ).toEqual({ code: 'CANCELLED', reason: 'caller-gone' });
    expect(await count()).toBe(0);
    const here = new AbortController().signal;
    await withSignal(here, async () => await handle.db.execute(sql`INSERT INTO things VALUES (2)`));
    expect(await count()).toBe(1);
  });

  it('roll back the transaction the caller was in', async () => {
    const caller = new AbortController();
    const transaction = withSignal(caller.signal, () =>
      handle.db.transaction(async (tx) => {
        await tx.execute(sql`INSERT INTO things VALUES (10)`);
        caller.abort();
        await tx.execute(sql`INSERT INTO things VALUES (11)`);
      }),
    );
    expect(await rejectionCode(transaction)).toEqual({ code: 'CANCELLED', reason: 'caller-gone' });
    const rows = await handle.db.execute(sql`SELECT id FROM things WHERE id >= 10`);
    expect((rows as unknown as { rows: unknown[] }).rows).toEqual([]);
  });

  it('have statement_timeout set in the session (which PGlite cannot enforce)', async () => {
    const shown = await handle.db.execute(sql`SHOW statement_timeout`);
    expect((shown as unknown as { rows: { statement_timeout: string }[] }).rows[0]).toEqual({
      statement_timeout: '30s',
    });
  });
});
