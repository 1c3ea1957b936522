// `npm run bench -- tools`:
// 1. the JavaScript sandbox alone: cold start and warm calls (p50/p99) of a trivial tool and a
//    CPU-bound one (tools-sandbox.ts);
// 2. executions end to end through the router on PostgreSQL (DATABASE_URL) and Redis
//    (REDIS_URL): clients call
//    executeTool and wait for the result, with one tools replica, then two sharing the queue
//    (the second is a worker only: the router sends its requests to the first). Executions/s
//    and the latency of a whole execution (queue, claim, run, record, answer).
// It measures and prints; it never asserts on time.
import { performance } from 'node:perf_hooks';
import { DEMO_USER_DEFAULTS } from '@supergraph/kit';
import { createTestDatabase, graphql } from '@supergraph/kit/testing';
import { freePort, startChildService, type ChildService } from '../child-service.js';
import { signUp, startSupergraph } from '../harness.js';
import { ascending, percentile } from './stats.js';
import { toolsSandbox } from './tools-sandbox.js';

const SERVER_URL = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
// Replicas share their events (new work, cancellations, execution updates) over Redis, as
// they must across machines; without it a replica hears only its own.
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const USERS = 8;
const PER_USER = 2;
const EXECUTIONS = 600;
const WARM_UP = 40;
const EXECUTE = `mutation($n: Int!) {
  executeTool(input: { toolName: "echo", arguments: { n: $n }, waitMs: 30000 }) { status output }
}`;

async function throughput(url: string, tokens: string[], total: number) {
  const latencies: number[] = [];
  let next = 0;
  let failed = 0;
  const client = async (token: string) => {
    while (next < total) {
      const n = next++;
      const started = performance.now();
      const result = await graphql(url, { query: EXECUTE, variables: { n }, token });
      latencies.push(performance.now() - started);
      if (result.errors || result.data?.executeTool.status !== 'SUCCEEDED') failed += 1;
    }
  };
  const started = performance.now();
  await Promise.all(
    tokens.flatMap((token) => Array.from({ length: PER_USER }, () => client(token))),
  );
  const seconds = (performance.now() - started) / 1_000;
  const sorted = ascending(latencies);
  return {
    perSecond: total / seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    failed,
  };
}

export async function tools(): Promise<void> {
  await toolsSandbox();

  const database = await createTestDatabase(SERVER_URL, 'bench_tools');
  const ports = [await freePort(), await freePort()];
  const replicas: ChildService[] = [];
  const supergraph = await startSupergraph({
    env: { DEMO_USER: 'true' },
    routeOverrides: { tools: `http://127.0.0.1:${ports[0]}/graphql` },
  });
  try {
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL,
      SECURITY_JWKS_URL: supergraph.subgraphUrls.security.replace(
        '/graphql',
        '/.well-known/jwks.json',
      ),
      LOG_LEVEL: 'error',
    };
    replicas.push(await startChildService('tools', ports[0]!, env));
    const login = await graphql(supergraph.url, {
      query: 'mutation($input: LoginInput!) { login(input: $input) { token } }',
      variables: { input: DEMO_USER_DEFAULTS },
    });
    const admin = login.data!.login.token as string;
    const registered = await graphql(supergraph.url, {
      query: 'mutation($input: RegisterToolInput!) { registerTool(input: $input) { id } }',
      variables: {
        input: {
          name: 'echo',
          description: 'Returns its arguments.',
          inputSchema: { type: 'object', properties: { n: { type: 'integer' } } },
          javascript: 'return args;',
        },
      },
      token: admin,
    });
    if (registered.errors) throw new Error(JSON.stringify(registered.errors));
    const tokens = await Promise.all(
      Array.from({ length: USERS }, async () => (await signUp(supergraph.url)).token),
    );
    console.log(
      `\nexecutions through the router (PostgreSQL; ${USERS} users × ${PER_USER} clients, each waiting for its result; a trivial JavaScript tool)`,
    );
    for (const count of [1, 2]) {
      if (count === 2) replicas.push(await startChildService('tools', ports[1]!, env));
      await throughput(supergraph.url, tokens, WARM_UP);
      const figures = await throughput(supergraph.url, tokens, EXECUTIONS);
      console.log(
        `  ${count} replica${count > 1 ? 's' : ''}: ${figures.perSecond.toFixed(0)} executions/s, p50 ${figures.p50.toFixed(0)} ms, p99 ${figures.p99.toFixed(0)} ms, failed ${figures.failed} of ${EXECUTIONS}`,
      );
    }
  } finally {
    await Promise.all(replicas.map((replica) => replica.stop()));
    await supergraph.close();
    await database.drop();
  }
}
