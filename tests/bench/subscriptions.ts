// Fan-out: 1,000 graphql-ws subscribers of one user's `completionEvents`, each on its own
// connection to the router (in a worker thread), and a publisher that runs `complete` through
// the router EVENTS times, one after the other. Prints events/s (published events delivered to
// every subscriber, per second), deliveries/s and the p50/p99 delay from the event's `endedAt`
// (set when the completion ends, just before it is stored and published) to its arrival at a
// subscriber; without and with a field of another subgraph (`user { email }`, from security).
// Identical subscriptions of one identity to a @topic share one upstream subscription; the
// 'distinct' rows give each subscriber an operation name of its own, so that each has its own
// upstream subscription (the cost without that sharing). Goal: p99 < 250 ms. It measures and
// prints; it never asserts on time.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { graphql, waitFor } from '@supergraph/kit/testing';
import { signUp, startSupergraph, type Supergraph } from '../harness.js';
import { openSubscriptions, untilOpenSubscriptions } from '../realtime.js';
import { UNTHROTTLED } from './request.js';
import { percentile } from './stats.js';

const SUBSCRIBERS = 1_000;
const EVENTS = 50;
const WARM_UP = 3;
const COMPLETE =
  'mutation { complete(input: { messages: [{ role: USER, content: "fan out" }] }) { id } }';

const VARIANTS = {
  'provider only': 'subscription { completionEvents { status cost endedAt } }',
  'with user { email } (security)':
    'subscription { completionEvents { status cost endedAt user { email } } }',
};

interface Report {
  delays: number[];
  errors: number;
  lastArrival: number;
}

function ask<T>(worker: Worker, type: 'report' | 'close'): Promise<T> {
  return new Promise((resolve) => {
    worker.once('message', resolve);
    worker.postMessage({ type });
  });
}

async function run(supergraph: Supergraph, token: string, query: string, distinct: boolean) {
  // The worker runs TypeScript source as the benchmark does: tsx's require hook, loaded first
  // (a worker does not inherit the loader hooks of `--import tsx`).
  const entry = join(__dirname, 'subscribers-worker.ts');
  const worker = new Worker(`require('tsx/cjs'); require(${JSON.stringify(entry)});`, {
    eval: true,
    workerData: { url: supergraph.url, token, query, subscribers: SUBSCRIBERS, distinct },
  });
  try {
    const upstream = distinct ? SUBSCRIBERS : 1;
    await waitFor(
      async () =>
        supergraph.router.subscriptions.stats.subscribers === SUBSCRIBERS &&
        (await openSubscriptions(supergraph.services.provider)) === upstream,
      `${SUBSCRIBERS} subscribers (${upstream} at the provider subgraph)`,
      120_000,
    );
    const publish = async () => {
      const { errors } = await graphql(supergraph.url, { query: COMPLETE, token });
      if (errors) throw new Error(`complete failed: ${JSON.stringify(errors)}`);
    };
    for (let i = 0; i < WARM_UP; i += 1) await publish();
    const expected = (WARM_UP + EVENTS) * SUBSCRIBERS;
    await waitFor(
      async () => (await ask<Report>(worker, 'report')).delays.length >= WARM_UP * SUBSCRIBERS,
      'the warm-up events',
      60_000,
    );
    const started = Date.now();
    for (let i = 0; i < EVENTS; i += 1) await publish();
    let report: Report = { delays: [], errors: 0, lastArrival: 0 };
    await waitFor(
      async () => {
        report = await ask<Report>(worker, 'report');
        return report.delays.length + report.errors >= expected;
      },
      `${expected} deliveries`,
      120_000,
    );
    const measured = report.delays.slice(WARM_UP * SUBSCRIBERS).sort((a, b) => a - b);
    const seconds = (report.lastArrival - started) / 1000;
    return {
      eventsPerSecond: EVENTS / seconds,
      deliveriesPerSecond: measured.length / seconds,
      p50: percentile(measured, 50),
      p99: percentile(measured, 99),
      max: measured[measured.length - 1] ?? NaN,
      errors: report.errors,
      upstream: supergraph.router.subscriptions.stats,
    };
  } finally {
    await ask(worker, 'close');
    await worker.terminate();
  }
}

export async function subscriptions(): Promise<void> {
  const supergraph = await startSupergraph({ env: UNTHROTTLED });
  try {
    const { token } = await signUp(supergraph.url, 'fan-out@example.com');
    console.log(
      `\nsubscription fan-out: ${SUBSCRIBERS} graphql-ws subscribers of one topic through the router, ${EVENTS} events published one after the other, 127.0.0.1`,
    );
    const runs = [false, true].flatMap((distinct) =>
      Object.entries(VARIANTS).map(([name, query]) => ({
        name: `${distinct ? 'distinct, ' : 'identical, '}${name}`,
        query,
        distinct,
      })),
    );
    for (const { name, query, distinct } of runs) {
      const result = await run(supergraph, token, query, distinct);
      console.log(
        `  ${name.padEnd(42)} ${result.eventsPerSecond.toFixed(1).padStart(6)} events/s  ${result.deliveriesPerSecond.toFixed(0).padStart(6)} deliveries/s  p50 ${String(result.p50).padStart(4)} ms  p99 ${String(result.p99).padStart(4)} ms  max ${String(result.max).padStart(4)} ms  errors ${result.errors}`,
      );
      console.log(
        `  ${''.padEnd(42)} upstream while open: ${result.upstream.connections} connections, ${result.upstream.subscriptions} subscriptions`,
      );
      await untilOpenSubscriptions(supergraph.services.provider, 0, 60_000);
    }
  } finally {
    await supergraph.close();
  }
}
