// Router overhead: the same query against the memory subgraph directly and through the
// router (autocannon on 127.0.0.1, bounded in time). Prints req/s, p50, p99 and the ratio.
import autocannon from 'autocannon';
import { graphql } from '@supergraph/kit/testing';
import { signUp, startSupergraph } from '../harness.js';
import { UNTHROTTLED, graphqlPost } from './request.js';

const DURATION_S = 10;
const CONNECTIONS = 20;
const MEMORIES = 20;
const QUERY = '{ memories(first: 20) { nodes { id content metadata createdAt } } }';

async function load(url: string, token: string) {
  const result = await autocannon({
    url,
    ...graphqlPost(token, { query: QUERY }),
    connections: CONNECTIONS,
    // Load is generated in a worker thread so that it does not share the services' event loop.
    workers: 1,
    duration: DURATION_S,
  });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${url}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  }
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

export async function routerOverhead(): Promise<void> {
  const supergraph = await startSupergraph({ env: UNTHROTTLED });
  try {
    const { token } = await signUp(supergraph.url, 'bench@example.com');
    for (let i = 0; i < MEMORIES; i += 1) {
      await graphql(supergraph.url, {
        query: 'mutation($c: String!) { createMemory(input: { content: $c }) { id } }',
        variables: { c: `benchmark memory number ${i}` },
        token,
      });
    }
    const direct = await load(supergraph.subgraphUrls.memory, token);
    const routed = await load(supergraph.url, token);
    const row = (name: string, r: typeof direct) =>
      `${name.padEnd(16)} ${r.rps.toFixed(0).padStart(8)} req/s   p50 ${String(r.p50).padStart(4)} ms   p99 ${String(r.p99).padStart(4)} ms`;
    console.log(`\nrouter overhead: ${QUERY}`);
    console.log(`  ${CONNECTIONS} connections, ${DURATION_S} s each, 127.0.0.1`);
    console.log(`  ${row('memory direct', direct)}`);
    console.log(`  ${row('through router', routed)}`);
    console.log(`  router/direct throughput ratio ${(routed.rps / direct.rps).toFixed(2)}`);
  } finally {
    await supergraph.close();
  }
}
