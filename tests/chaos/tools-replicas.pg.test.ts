// Two tools replicas on one PostgreSQL database share the queue: 200 executions spread over
// both, each run exactly once (an HTTP tool counts its calls on a loopback server). Then a
// replica in a child process is killed with SIGKILL while it runs two executions: the other
// replica takes them back when their lease runs out, retrying the idempotent one and failing
// the other with LEASE_EXPIRED.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { createTestDatabase, createTestIssuer, graphql, waitFor } from '@supergraph/kit/testing';
import { freePort, startChildService, type ChildService } from '../child-service.js';
import { createToolsSubgraph } from '../../subgraphs/tools/src/subgraph.js';
import { objectSchema, testToolsConfig } from '../../subgraphs/tools/test/setup.js';

const SERVER_URL = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const EXECUTIONS = 200;
const LEASE_MS = 1_500;
const EXECUTION = 'id status attempts worker output error { code }';

type Replica = Awaited<ReturnType<typeof createToolsSubgraph>>;

/** A loopback endpoint that counts the calls of each `n`; `/hang` holds calls until released. */
function countingServer() {
  const calls = new Map<string, number>();
  const held: ServerResponse[] = [];
  let holding = true;
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const { n } = JSON.parse(body || '{}') as { n?: string };
      calls.set(String(n), (calls.get(String(n)) ?? 0) + 1);
      if (request.url === '/hang' && holding) {
        held.push(response);
        return;
      }
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ n }));
    });
  });
  return {
    server,
    calls,
    release() {
      holding = false;
    },
    close: () => {
      for (const response of held) response.destroy();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('tools replicas on one PostgreSQL database', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let issuer: Awaited<ReturnType<typeof createTestIssuer>>;
  let jwksServer: Server;
  let jwksUrl: string;
  const counter = countingServer();
  let endpoint: string;
  let admin: string;
  let member: string;
  const replicas: Replica[] = [];
  let child: ChildService | undefined;

  const start = async (lease = 30_000) => {
    const replica = await createToolsSubgraph(
      testToolsConfig({
        database: { url: database.url },
        egressAllow: '127.0.0.1',
        queue: { workers: 4, maxRunningPerUser: 8, leaseMs: lease, maxQueuedPerUser: 500 },
      }),
      { verifier: issuer.verifier },
    );
    replicas.push(replica);
    return replica;
  };
  const call = (target: Replica | string, query: string, variables = {}, token = member) =>
    typeof target === 'string'
      ? graphql(`${target}/graphql`, { query, variables, token })
      : graphql(target.yoga, { query, variables, token });

  beforeAll(async () => {
    database = await createTestDatabase(SERVER_URL, 'tools');
    issuer = await createTestIssuer();
    jwksServer = createServer((_request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify(issuer.jwks));
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(jwksServer.address() as { port: number }).port}/jwks.json`;
    await new Promise<void>((resolve) => counter.server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(counter.server.address() as { port: number }).port}`;
    admin = await issuer.token(randomUUID(), ['tools:admin', 'tools:read', 'tools:execute']);
    member = await issuer.token(randomUUID(), ['tools:read', 'tools:execute']);
  });
  afterAll(async () => {
    await child?.stop('SIGKILL');
    await Promise.all(replicas.map((replica) => replica.close()));
    await counter.close();
    await new Promise((resolve) => jwksServer.close(resolve));
    await database.drop();
  });

  it('spreads 200 executions over two replicas and runs each once', async () => {
    const [a, b] = [await start(), await start()];
    const registered = await call(
      a,
      'mutation($input: RegisterToolInput!) { registerTool(input: $input) { id } }',
      {
        input: {
          name: 'record',
          description: 'Records a call.',
          inputSchema: objectSchema({ n: { type: 'string' } }),
          http: { url: `${endpoint}/record` },
        },
      },
      admin,
    );
    expect(registered.errors).toBeUndefined();
    const ids = await Promise.all(
      Array.from({ length: EXECUTIONS }, async (_, i) => {
        const result = await call(
          i % 2 ? a : b,
          'mutation($n: String!) { executeTool(input: { toolName: "record", arguments: { n: $n } }) { id } }',
          { n: String(i) },
        );
        expect(result.errors).toBeUndefined();
        return result.data!.executeTool.id as string;
      }),
    );
    const finished = async () =>
      (await call(a, `{ executions(first: 200, status: [SUCCEEDED]) { ${EXECUTION} } }`)).data!
        .executions as { id: string; attempts: number; worker: string; output: unknown }[];
    await waitFor(
      async () => (await finished()).length === EXECUTIONS,
      'every execution done',
      60_000,
    );
    const done = await finished();
    expect(new Set(done.map((execution) => execution.id))).toEqual(new Set(ids));
    expect(done.every((execution) => execution.attempts === 1)).toBe(true);
    // Each ran exactly once: the endpoint saw every n once and nothing else.
    expect(counter.calls.size).toBe(EXECUTIONS);
    expect([...counter.calls.values()].every((count) => count === 1)).toBe(true);
    // Both replicas took part.
    const workers = new Map<string, number>();
    for (const execution of done)
      workers.set(execution.worker, (workers.get(execution.worker) ?? 0) + 1);
    expect(workers.size).toBe(2);
    await Promise.all(replicas.splice(0).map((replica) => replica.close()));
  }, 120_000);

  it('takes back the executions of a replica killed mid-run, by the lease rule', async () => {
    const port = await freePort();
    child = await startChildService('tools', port, {
      DATABASE_URL: database.url,
      SECURITY_JWKS_URL: jwksUrl,
      TOOLS_EGRESS_ALLOW: '127.0.0.1',
      TOOLS_LEASE_MS: String(LEASE_MS),
    });
    const register = 'mutation($input: RegisterToolInput!) { registerTool(input: $input) { id } }';
    for (const [name, idempotentHint] of [
      ['hang-retryable', true],
      ['hang-once', false],
    ] as const) {
      const result = await call(
        child.url,
        register,
        {
          input: {
            name,
            description: 'Waits for the test.',
            inputSchema: objectSchema({ n: { type: 'string' } }),
            annotations: { idempotentHint },
            http: { url: `${endpoint}/hang` },
          },
        },
        admin,
      );
      expect(result.errors).toBeUndefined();
    }
    const execute = async (tool: string, n: string) =>
      (
        await call(
          child!.url,
          `mutation($t: String!, $n: String!) { executeTool(input: { toolName: $t, arguments: { n: $n } }) { id } }`,
          { t: tool, n },
        )
      ).data!.executeTool.id as string;
    const retryable = await execute('hang-retryable', 'r');
    const once = await execute('hang-once', 'o');
    // Both are running in the child (their calls are held open): kill it.
    await waitFor(
      () => counter.calls.get('r') === 1 && counter.calls.get('o') === 1,
      'both calls held',
      60_000,
    );
    await child.stop('SIGKILL');
    counter.release();
    const survivor = await start(LEASE_MS);
    const get = async (id: string) =>
      (await call(survivor, `query($id: ID!) { execution(id: $id) { ${EXECUTION} } }`, { id }))
        .data!.execution;
    await waitFor(
      async () =>
        (await get(retryable)).status === 'SUCCEEDED' && (await get(once)).status === 'FAILED',
      "the killed replica's executions taken back",
      60_000,
    );
    expect(await get(retryable)).toMatchObject({ attempts: 2, output: { n: 'r' } });
    expect(await get(once)).toMatchObject({ attempts: 1, error: { code: 'LEASE_EXPIRED' } });
    // The retryable one ran again (as its idempotency allows); the other never did.
    expect(counter.calls.get('r')).toBe(2);
    expect(counter.calls.get('o')).toBe(1);
  }, 180_000);
});
