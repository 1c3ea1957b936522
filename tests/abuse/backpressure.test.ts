// Backpressure at the router: a bounded number of operations run, a bounded number wait, the
// rest are shed at once with OVERLOADED (503, Retry-After); the waiting line keeps its order
// (fifo, lifo, priority) and lets go of requests that wait too long or whose client left.
// Observed through the router's own numbers and a subgraph gate the test opens, never time.
import { errorCodes, graphql, waitFor, type Result } from '@supergraph/kit/testing';
import {
  CREATE,
  LIST,
  startGatedSubgraph,
  startLoneRouter,
  type GatedSubgraph,
  type LoneRouter,
} from './lone-router.js';

type Answer = Result & { status: number; response: Response };

/** Generous: only the queue-timeout test expects a request to wait that long. */
const LONG_WAIT_MS = '60000';

describe('backpressure at the router', () => {
  let gated: GatedSubgraph;
  let lone: LoneRouter | undefined;
  let token: string;

  const start = async (env: Record<string, string>) => {
    gated = await startGatedSubgraph();
    lone = await startLoneRouter(env, { memoryUrl: gated.url });
    token = await lone.token('user-1');
    return lone;
  };
  afterEach(async () => {
    gated.open();
    await lone?.close();
    await gated.close();
    lone = undefined;
  });

  const list = (n: number, init: { headers?: Record<string, string> } = {}) =>
    graphql(lone!.url, { query: LIST, variables: { n }, token, ...init });
  const stats = () => lone!.router.admission();

  it('at 3x its capacity, sheds exactly the excess at once and completes every admitted request', async () => {
    const concurrency = 2;
    const maxQueue = 3;
    await start({
      ROUTER_MAX_CONCURRENCY: String(concurrency),
      ROUTER_MAX_QUEUE: String(maxQueue),
      ROUTER_QUEUE_TIMEOUT_MS: LONG_WAIT_MS,
    });
    const offered = 3 * (concurrency + maxQueue);
    const answers = new Map<number, Answer>();
    const all = Array.from({ length: offered }, (_, n) =>
      list(n).then((answer) => answers.set(n, answer)),
    );

    // While the gate is shut: the slots are taken, the queue is full, the rest already answered.
    const excess = offered - concurrency - maxQueue;
    await waitFor(
      () => gated.held() === concurrency && answers.size === excess,
      'the excess to be shed',
    );
    expect(stats()).toMatchObject({ inFlight: concurrency, queued: maxQueue });
    for (const shed of answers.values()) {
      expect(shed.status).toBe(503);
      expect(shed.response.headers.get('retry-after')).toBe('1');
      expect(errorCodes(shed)).toEqual(['OVERLOADED']);
      expect(shed.errors![0]!.extensions).toMatchObject({ reason: 'queue_full', retryAfter: 1 });
    }
    const shedTags = [...answers.keys()];

    gated.open();
    await Promise.all(all);
    const admitted = [...answers].filter(([n]) => !shedTags.includes(n));
    expect(admitted).toHaveLength(concurrency + maxQueue);
    for (const [n, answer] of admitted) {
      expect(answer.status).toBe(200);
      expect(answer.data).toEqual({ memories: { nodes: [{ id: `m${n}` }] } });
    }
    expect(gated.received).toHaveLength(concurrency + maxQueue);
    expect(stats()).toMatchObject({
      inFlight: 0,
      queued: 0,
      maxInFlight: concurrency,
      maxQueued: maxQueue,
      admitted: concurrency + maxQueue,
      shed: { queue_full: excess, queue_timeout: 0, client_gone: 0 },
    });
    const metrics = await lone!.router.metrics.registry.metrics();
    expect(metrics).toMatch(
      new RegExp(`router_admission_shed_total\\{reason="queue_full"[^}]*\\} ${excess}\\n`),
    );
    expect(metrics).toMatch(/router_admission_queue_depth\{[^}]*\} 0\n/);
    expect(metrics).toMatch(/router_admission_in_flight\{[^}]*\} 0\n/);
  });

  it('sheds a request that waits past the queue timeout, while the slot is still taken', async () => {
    await start({
      ROUTER_MAX_CONCURRENCY: '1',
      ROUTER_MAX_QUEUE: '2',
      ROUTER_QUEUE_TIMEOUT_MS: '200',
    });
    const holder = list(0);
    await waitFor(() => gated.held() === 1, 'the slot to be taken');
    const waited = await Promise.all([list(1), list(2)]);
    for (const answer of waited) {
      expect(answer.status).toBe(503);
      expect(answer.response.headers.get('retry-after')).toBe('1');
      expect(answer.errors![0]!.extensions).toMatchObject({
        code: 'OVERLOADED',
        reason: 'queue_timeout',
      });
    }
    expect(gated.held()).toBe(1);
    expect(stats()).toMatchObject({ queued: 0, shed: { queue_timeout: 2 } });
    gated.open();
    expect((await holder).data).toEqual({ memories: { nodes: [{ id: 'm0' }] } });
    expect(gated.received).toEqual(['0']);
  });

  it('takes a queued request whose client went away out of the queue', async () => {
    await start({
      ROUTER_MAX_CONCURRENCY: '1',
      ROUTER_MAX_QUEUE: '2',
      ROUTER_QUEUE_TIMEOUT_MS: LONG_WAIT_MS,
    });
    const holder = list(0);
    await waitFor(() => gated.held() === 1, 'the slot to be taken');
    const leaving = new AbortController();
    const gone = fetch(lone!.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: LIST, variables: { n: 1 } }),
      signal: leaving.signal,
    }).catch((error: Error) => error.name);
    await waitFor(() => stats().queued === 1, 'the request to be queued');
    leaving.abort();
    expect(await gone).toBe('AbortError');
    await waitFor(() => stats().queued === 0, 'the queue to let go of it');
    expect(stats().shed.client_gone).toBe(1);

    const after = list(2);
    await waitFor(() => stats().queued === 1, 'the next request to be queued');
    gated.open();
    expect((await after).data).toEqual({ memories: { nodes: [{ id: 'm2' }] } });
    await holder;
    expect(gated.received).toEqual(['0', '2']);
  });

  /** Takes the one slot, queues `queued` one after the other, then opens the gate: with one
   * slot, the subgraph sees requests in the order the router admitted them. */
  async function admissionOrder(
    env: Record<string, string>,
    queued: (() => Promise<Answer>)[],
  ): Promise<string[]> {
    await start({
      ROUTER_MAX_CONCURRENCY: '1',
      ROUTER_MAX_QUEUE: String(queued.length),
      ROUTER_QUEUE_TIMEOUT_MS: LONG_WAIT_MS,
      ...env,
    });
    const answers = [list(0)];
    await waitFor(() => gated.held() === 1, 'the slot to be taken');
    for (const [index, send] of queued.entries()) {
      answers.push(send());
      await waitFor(() => stats().queued === index + 1, `request ${index + 1} to be queued`);
    }
    gated.open();
    for (const answer of await Promise.all(answers)) expect(answer.errors).toBeUndefined();
    return gated.received;
  }

  const create = (c: string) => () =>
    graphql(lone!.url, { query: CREATE, variables: { c }, token });

  it('admits first come, first served by default', async () => {
    const order = await admissionOrder({}, [() => list(1), () => list(2), () => list(3)]);
    expect(order).toEqual(['0', '1', '2', '3']);
  });

  it('admits the latest first with ROUTER_QUEUE_ORDER=lifo', async () => {
    const order = await admissionOrder({ ROUTER_QUEUE_ORDER: 'lifo' }, [
      () => list(1),
      () => list(2),
      () => list(3),
    ]);
    expect(order).toEqual(['0', '3', '2', '1']);
  });

  it('admits mutations before queries with ROUTER_QUEUE_ORDER=priority, in order within each', async () => {
    const order = await admissionOrder({ ROUTER_QUEUE_ORDER: 'priority' }, [
      () => list(1),
      create('2'),
      () => list(3),
      create('4'),
    ]);
    expect(order).toEqual(['0', '2', '4', '1', '3']);
  });

  it('honours the priority header only from a caller that knows the secret', async () => {
    const secret = 'shared-between-trusted-callers';
    const headers = (priority: string, proof: string) => ({
      headers: { 'x-priority': priority, 'x-priority-secret': proof },
    });
    const order = await admissionOrder(
      { ROUTER_QUEUE_ORDER: 'priority', ROUTER_PRIORITY_SECRET: secret },
      [
        () => list(1),
        () => list(2, headers('9', 'a guess')),
        () => list(3, headers('5', secret)),
        () => list(4, headers('9', secret)),
      ],
    );
    expect(order).toEqual(['0', '4', '3', '1', '2']);
  });
});
