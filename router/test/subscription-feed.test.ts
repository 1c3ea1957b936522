// The feed behind every router subscription: events delivered in the order they came however
// long each takes to run, shared by several listeners, a bounded backlog per subscriber, and
// the upstream subscription completed when the last listener leaves.
import { GraphQLError, type ExecutionResult } from 'graphql';
import { createLogger } from '@supergraph/kit';
import { Feed, listen, type Listener } from '../src/subscription-feed.js';
import type { UpstreamSink } from '../src/upstream.js';

const logger = createLogger('test', 'silent');

function feedOf(runEvent: (event: ExecutionResult) => Promise<ExecutionResult>) {
  const state = { sink: undefined as UpstreamSink | undefined, stopped: 0, closed: 0 };
  const feed = new Feed({
    logger,
    runEvent,
    start: (sink) => {
      state.sink = sink;
      return () => (state.stopped += 1);
    },
    onClosed: () => (state.closed += 1),
  });
  return { feed, state };
}

const event = (n: number): ExecutionResult => ({ data: { n } });
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('subscription feed', () => {
  it('delivers in arrival order even when later events finish running first', async () => {
    const { feed, state } = feedOf(async (result) => {
      const n = (result.data as { n: number }).n;
      await new Promise((resolve) => setTimeout(resolve, (5 - n) * 10));
      return result;
    });
    const listeners = new Set<Listener>();
    const first = listen(feed, 100, listeners)[Symbol.asyncIterator]();
    const second = listen(feed, 100, listeners)[Symbol.asyncIterator]();
    const firstNext = first.next();
    const secondNext = second.next();
    await tick();
    expect(listeners.size).toBe(2);
    for (let n = 1; n <= 4; n += 1) state.sink!.next(event(n));
    const read = async (iterator: AsyncIterator<ExecutionResult>, pending: Promise<unknown>) => {
      const values = [((await pending) as IteratorResult<ExecutionResult>).value];
      for (let i = 0; i < 3; i += 1) values.push((await iterator.next()).value);
      return values.map((value) => (value.data as { n: number }).n);
    };
    expect(await read(first, firstNext)).toEqual([1, 2, 3, 4]);
    expect(await read(second, secondNext)).toEqual([1, 2, 3, 4]);

    await first.return!();
    expect(state.stopped).toBe(0); // the second still listens
    await second.return!();
    expect(state).toMatchObject({ stopped: 1, closed: 1 });
    expect(feed.open).toBe(false);
  });

  it('ends a subscriber that lets more than its bound of events wait, with OVERLOADED', async () => {
    const { feed, state } = feedOf(async (result) => result);
    const iterator = listen(feed, 3, new Set())[Symbol.asyncIterator]();
    const firstNext = iterator.next();
    await tick();
    for (let n = 1; n <= 10; n += 1) state.sink!.next(event(n));
    await tick();
    const values = [((await firstNext) as IteratorResult<ExecutionResult>).value];
    for (;;) {
      const next = await iterator.next();
      if (next.done) break;
      values.push(next.value);
    }
    const last = values.pop()!;
    expect(last.errors?.[0]?.extensions?.['code']).toBe('OVERLOADED');
    // The bound counts the event being handed over: three arrive, then the ending error.
    expect(values.map((value) => (value.data as { n: number }).n)).toEqual([1, 2, 3]);
    expect(state.stopped).toBe(1);
  });

  it('passes the end of the upstream subscription on, after the events before it', async () => {
    const { feed, state } = feedOf(async (result) => result);
    const iterator = listen(feed, 10, new Set())[Symbol.asyncIterator]();
    const firstNext = iterator.next();
    await tick();
    state.sink!.next(event(1));
    state.sink!.end([
      new GraphQLError('lost', { extensions: { code: 'SUBGRAPH_SUBSCRIPTION_FAILED' } }),
    ]);
    expect(((await firstNext) as IteratorResult<ExecutionResult>).value.data).toEqual({ n: 1 });
    const ending = await iterator.next();
    expect(ending.value.errors[0].extensions.code).toBe('SUBGRAPH_SUBSCRIPTION_FAILED');
    expect((await iterator.next()).done).toBe(true);
  });
});
