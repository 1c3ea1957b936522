// Overload: the router (its own process, so that its CPU and RSS are its own) in front of the
// in-process subgraphs, under closed-loop load (each client waits for its answer) on a mixed
// workload at 1x, 2x and 3x its measured capacity. Prints, per level, admitted and shed req/s,
// p50/p99 of the admitted requests and the router's peak RSS. Bounded: about a minute.
import autocannon from 'autocannon';
import { graphql } from '@supergraph/kit/testing';
import { signUp, startSupergraph } from '../harness.js';
import { UNTHROTTLED, graphqlPost, type GraphqlCall } from './request.js';
import { metric, startRouterProcess, type RouterProcess } from './router-process.js';
import { percentile } from './stats.js';

const CONCURRENCY = 16;
const QUEUE = 16;
const QUEUE_TIMEOUT_MS = 2_000;
const WARM_UP_S = 2;
const CAPACITY_S = 5;
const LEVEL_S = 6;
const LEVELS = [1, 2, 3];
const MEMORIES = 20;
const RSS_SAMPLE_MS = 250;
const SETTLE_TIMEOUT_MS = 60_000;

/** The mixed workload: each client sends these in turn. The mutation changes one memory
 * rather than adding memories, so that every run works on the same data. */
const workload = (memoryId: string): { name: string; call: GraphqlCall }[] => [
  { name: 'list', call: { query: '{ memories(first: 20) { nodes { id content createdAt } } }' } },
  {
    name: 'join',
    call: {
      query:
        '{ memories(first: 5) { nodes { content createdBy { id email displayName documents { title } } } } }',
    },
  },
  {
    name: 'search',
    call: {
      query:
        '{ searchMemories(input: { text: "benchmark notes about planning", topK: 5 }) { distance memory { id content } } }',
    },
  },
  {
    name: 'mutation',
    call: {
      // metadata as a variable: an inline JSON literal fails in updateMemory (drizzle is handed
      // graphql-scalars' null-prototype object), a memory subgraph bug of its own.
      query:
        'mutation($id: ID!, $metadata: JSON) { updateMemory(input: { id: $id, metadata: $metadata }) { id } }',
      variables: { id: memoryId, metadata: { touched: true } },
    },
  },
];

interface Level {
  admitted: number;
  shed: number;
  other: number;
  p50: number;
  p99: number;
  peakRssMb: number;
  /** The router process's CPU time over the run, in percent of one core. */
  routerCpu: number;
  seconds: number;
}

/** Waits until the router has let go of the previous run's requests (autocannon abandons
 * those in flight when its time is up), so that a run does not start with taken slots. */
async function settle(base: string) {
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  while (
    (await metric(base, 'router_admission_in_flight')) +
      (await metric(base, 'router_admission_queue_depth')) >
    0
  ) {
    if (Date.now() > deadline) throw new Error('the router kept requests in flight');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Closed loop: `connections` clients, each sends its next request when answered, at most
 * `rate` requests/s in all when given. Latency is recorded per answer status. */
interface Target {
  base: string;
  url: string;
  token: string;
  calls: GraphqlCall[];
}

async function load(
  router: Target,
  { connections, seconds, rate }: { connections: number; seconds: number; rate?: number },
): Promise<Level> {
  const admittedLatencies: number[] = [];
  let shed = 0;
  let other = 0;
  let peakRss = 0;
  await settle(router.base);
  const cpuBefore = await metric(router.base, 'process_cpu_seconds_total');
  const sampler = setInterval(() => {
    void metric(router.base, 'process_resident_memory_bytes').then((rss) => {
      if (rss > peakRss) peakRss = rss;
    });
  }, RSS_SAMPLE_MS);
  await new Promise<void>((resolve, reject) => {
    const instance = autocannon(
      {
        url: router.url,
        connections,
        duration: seconds,
        ...(rate ? { overallRate: rate } : {}),
        requests: router.calls.map((call) => graphqlPost(router.token, call)),
      },
      (error) => (error ? reject(error) : resolve()),
    );
    instance.on('response', (_client, status, _bytes, ms) => {
      if (status === 200) admittedLatencies.push(ms);
      else if (status === 503) shed += 1;
      else other += 1;
    });
  });
  clearInterval(sampler);
  const cpu = (await metric(router.base, 'process_cpu_seconds_total')) - cpuBefore;
  admittedLatencies.sort((a, b) => a - b);
  return {
    admitted: admittedLatencies.length / seconds,
    shed: shed / seconds,
    other,
    p50: percentile(admittedLatencies, 50),
    p99: percentile(admittedLatencies, 99),
    peakRssMb: peakRss / 2 ** 20,
    routerCpu: (100 * cpu) / seconds,
    seconds,
  };
}

const row = (label: string, level: Level) =>
  `  ${label.padEnd(22)} admitted ${level.admitted.toFixed(0).padStart(5)} req/s   shed ${level.shed
    .toFixed(0)
    .padStart(5)} req/s   p50 ${level.p50.toFixed(0).padStart(5)} ms   p99 ${level.p99
    .toFixed(0)
    .padStart(
      5,
    )} ms   router RSS ${level.peakRssMb.toFixed(0).padStart(4)} MB   router CPU ${level.routerCpu.toFixed(0).padStart(3)} %${
    level.other ? `   other answers ${level.other}` : ''
  }`;

export async function overload(): Promise<void> {
  const started = Date.now();
  const supergraph = await startSupergraph({ env: UNTHROTTLED });
  let spawned: RouterProcess | undefined;
  try {
    const { token } = await signUp(supergraph.url, 'overload@example.com');
    const ids: string[] = [];
    for (let i = 0; i < MEMORIES; i += 1) {
      const created = await graphql<{ createMemory: { id: string } }>(supergraph.url, {
        query: 'mutation($c: String!) { createMemory(input: { content: $c }) { id } }',
        variables: { c: `benchmark notes about planning, number ${i}` },
        token,
      });
      ids.push(created.data!.createMemory.id);
    }
    const mix = workload(ids[0]!);
    spawned = await startRouterProcess(supergraph.subgraphUrls, {
      ...UNTHROTTLED,
      ROUTER_MAX_CONCURRENCY: String(CONCURRENCY),
      ROUTER_MAX_QUEUE: String(QUEUE),
      ROUTER_QUEUE_TIMEOUT_MS: String(QUEUE_TIMEOUT_MS),
    });
    const router: Target = { ...spawned, token, calls: mix.map(({ call }) => call) };
    // Under load only statuses are seen: check once that every call of the mix answers.
    for (const { name, call } of mix) {
      const answer = await graphql(router.url, { ...call, token });
      if (answer.errors) throw new Error(`${name}: ${JSON.stringify(answer.errors)}`);
    }
    console.log(
      `\noverload: router in its own process, ROUTER_MAX_CONCURRENCY=${CONCURRENCY} ROUTER_MAX_QUEUE=${QUEUE} ROUTER_QUEUE_TIMEOUT_MS=${QUEUE_TIMEOUT_MS}`,
    );
    console.log(
      `  workload, round robin per client: ${mix.map((w) => w.name).join(', ')}; set up in ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
    const admits = CONCURRENCY + QUEUE;
    await load(router, { connections: admits, seconds: WARM_UP_S });
    // Capacity: as many clients as the router admits (running or queued), so none is shed,
    // each sending again as soon as it is answered.
    const capacity = await load(router, { connections: admits, seconds: CAPACITY_S });
    console.log(row(`capacity (${admits} clients)`, capacity));
    const shedBefore = await metric(router.base, 'router_admission_shed_total', 'queue_full');
    for (const factor of LEVELS) {
      // k times the capacity offered, by k times as many clients as the router admits.
      const level = await load(router, {
        connections: factor * admits,
        seconds: LEVEL_S,
        rate: Math.round(factor * capacity.admitted),
      });
      console.log(row(`${factor}x (${factor * admits} clients)`, level));
    }
    const full =
      (await metric(router.base, 'router_admission_shed_total', 'queue_full')) - shedBefore;
    const timedOut = await metric(router.base, 'router_admission_shed_total', 'queue_timeout');
    console.log(`  shed by the router: ${full} queue full, ${timedOut} past the queue timeout`);
  } finally {
    await spawned?.stop();
    await supergraph.close();
  }
}
