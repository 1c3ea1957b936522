// Client-chosen operation names cannot grow /metrics: once the bounded set of labels is taken,
// 500 more names (and names of 200,000 characters) leave it as it was, at the router and at a
// subgraph reached directly; and a /metrics failure answers a plain 500 with no internals.
import { Gauge } from 'prom-client';
import { startSupergraph, type Supergraph } from '../harness.js';

/** The bound for this suite; the default is larger, the mechanism is the same. */
const MAX_OPERATIONS = 5;
/** Room for the counters of the `other` label and ordinary drift (process gauges). */
const FEW_KB = 4 * 1024;

let supergraph: Supergraph;
beforeAll(async () => {
  supergraph = await startSupergraph({ env: { METRICS_MAX_OPERATIONS: String(MAX_OPERATIONS) } });
});
afterAll(() => supergraph.close());

const metricsOf = async (graphqlUrl: string) => {
  const response = await fetch(graphqlUrl.replace(/\/graphql$/, '/metrics'));
  return { status: response.status, text: await response.text() };
};

const sendNamed = (url: string, name: string) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: `query ${name} { __typename }` }),
  }).then((response) => response.text());

const requestCounters = (text: string) =>
  text.split('\n').filter((line) => line.startsWith('graphql_requests_total{'));

describe.each([
  ['the router', () => supergraph.url],
  ['the memory subgraph', () => supergraph.subgraphUrls.memory],
])('/metrics of %s', (_name, urlOf) => {
  it('stays within a few KB when 500 distinct operation names arrive', async () => {
    const url = urlOf();
    // Ordinary traffic takes the labels first, as it does on a running service.
    for (let i = 0; i < MAX_OPERATIONS; i += 1) await sendNamed(url, `Usual${i}`);
    const before = await metricsOf(url);

    for (let i = 0; i < 500; i += 1) await sendNamed(url, `Flood${i}`);
    const after = await metricsOf(url);

    expect(after.status).toBe(200);
    expect(after.text.length - before.text.length).toBeLessThan(FEW_KB);
    expect(after.text).not.toContain('Flood');
    expect(after.text).toContain('operation="Usual0"');
    expect(after.text).toMatch(/graphql_requests_total\{[^}]*operation="other"[^}]*\} 500/);
  });

  it('never labels with a long name, and keeps answering after 200,000-character names', async () => {
    const url = urlOf();
    const long = `L${'o'.repeat(200_000)}ng`;
    for (let i = 0; i < 5; i += 1) await sendNamed(url, `${long}${i}`);
    const after = await metricsOf(url);
    expect(after.status).toBe(200);
    const labels = requestCounters(after.text).map((line) => /operation="([^"]*)"/.exec(line)![1]!);
    expect(Math.max(...labels.map((label) => label.length))).toBeLessThanOrEqual(64);
  });
});

describe('a /metrics failure', () => {
  it('answers a plain 500 that leaks nothing, then recovers', async () => {
    const registry = supergraph.router.metrics.registry;
    new Gauge({
      name: 'test_broken_collector',
      help: 'A collector that fails, as a bug or a resource limit would',
      registers: [registry],
      collect() {
        throw new Error('SECRET internal detail');
      },
    });
    try {
      const failed = await metricsOf(supergraph.url);
      expect(failed.status).toBe(500);
      expect(failed.text).not.toContain('SECRET');
      expect(failed.text).not.toMatch(/\n\s+at /);
      expect(failed.text).toContain('could not be collected');
    } finally {
      registry.removeSingleMetric('test_broken_collector');
    }
    expect((await metricsOf(supergraph.url)).status).toBe(200);
  });
});
