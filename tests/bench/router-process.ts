// The router in a process of its own, so that its CPU and RSS are its own (read from its
// /metrics), in front of subgraphs that run elsewhere; shared by the benchmarks that weigh it.
import { spawn, type ChildProcess } from 'node:child_process';
import { ROOT, freePort } from '../child-service.js';

const READY_TIMEOUT_MS = 60_000;
const READY_POLL_MS = 200;

export interface RouterProcess {
  child: ChildProcess;
  /** http://127.0.0.1:port */
  base: string;
  /** The GraphQL URL. */
  url: string;
  /** Stops the process and resolves once it is gone. */
  stop(): Promise<void>;
}

/** Starts router/src/main.ts on a free port with `subgraphUrls` (name -> GraphQL URL) and the
 * security subgraph's JWKS, plus `env`; resolves once it answers /readyz. */
export async function startRouterProcess(
  subgraphUrls: Record<string, string>,
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
): Promise<RouterProcess> {
  const port = await freePort();
  const securityUrl = new URL(subgraphUrls['security']!);
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', ...nodeArgs, 'router/src/main.ts'],
    {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: {
        PATH: process.env['PATH'],
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
        HOST: '127.0.0.1',
        PORT: String(port),
        SECURITY_JWKS_URL: `${securityUrl.origin}/.well-known/jwks.json`,
        SUBGRAPH_URLS: Object.entries(subgraphUrls)
          .map(([name, url]) => `${name}=${url}`)
          .join(','),
        ...env,
      },
    },
  );
  const base = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the router exited (${child.exitCode})`);
    const ready = await fetch(`${base}/readyz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return { child, base, url: `${base}/graphql`, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error('the router did not become ready');
    }
    await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
  }
}

/** One sample of a Prometheus series of a service (the first line of `name` whose labels
 * contain `labels`); NaN when absent. */
export async function metric(base: string, name: string, labels = ''): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const line = text
    .split('\n')
    .find((entry) => entry.startsWith(name) && entry.includes(labels) && !entry.startsWith('#'));
  return Number(line?.split(' ').pop() ?? NaN);
}

export interface HistogramSample {
  count: number;
  sum: number;
  /** Cumulative counts by upper bound (le), summed over the matching series. */
  buckets: Map<number, number>;
}

/** A Prometheus histogram of a service, summed over the series whose labels contain `labels`. */
export async function histogram(base: string, name: string, labels = ''): Promise<HistogramSample> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const sample: HistogramSample = { count: 0, sum: 0, buckets: new Map() };
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || !line.includes(labels)) continue;
    const value = Number(line.split(' ').pop());
    if (line.startsWith(`${name}_sum`)) sample.sum += value;
    else if (line.startsWith(`${name}_count`)) sample.count += value;
    else if (line.startsWith(`${name}_bucket`)) {
      const le = Number(/le="([^"]+)"/.exec(line)?.[1]);
      sample.buckets.set(le, (sample.buckets.get(le) ?? 0) + value);
    }
  }
  return sample;
}

/** What was observed between two samples of one histogram. */
export function histogramBetween(before: HistogramSample, after: HistogramSample): HistogramSample {
  const buckets = new Map<number, number>();
  for (const [le, count] of after.buckets) buckets.set(le, count - (before.buckets.get(le) ?? 0));
  return { count: after.count - before.count, sum: after.sum - before.sum, buckets };
}
