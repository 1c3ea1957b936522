// Faults injected into a running supergraph: a subgraph stopped and started again, and one
// that never answers. The rest of each response must still arrive, with coded errors.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorCodes, graphql } from '@supergraph/kit/testing';
import { signUp, startSupergraph, temporaryDataDir, type Supergraph } from '../harness.js';

const RESET_MS = 300;
const JOIN = '{ memories { nodes { content createdBy { displayName documents { title } } } } }';

/** Repeats `probe` until `done` holds (bounded: the breaker's reset is a matter of time). */
async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean, tries = 50) {
  let value = await probe();
  for (let i = 0; i < tries && !done(value); i += 1) {
    await new Promise((resolve) => setTimeout(resolve, RESET_MS / 3));
    value = await probe();
  }
  return value;
}

describe('a subgraph goes down and comes back', () => {
  const dataDir = temporaryDataDir('supergraph-chaos');
  let supergraph: Supergraph;
  let token: string;
  const readyz = async () =>
    (await fetch(supergraph.url.replace('/graphql', '/readyz'))).json() as Promise<{
      status: string;
      breakers: Record<string, string>;
    }>;

  beforeAll(async () => {
    supergraph = await startSupergraph({
      dataDir: dataDir.path,
      env: {
        BREAKER_VOLUME_THRESHOLD: '2',
        BREAKER_ERROR_THRESHOLD_PERCENTAGE: '50',
        BREAKER_RESET_TIMEOUT_MS: String(RESET_MS),
      },
    });
    ({ token } = await signUp(supergraph.url, 'chaos@example.com'));
    await graphql(supergraph.url, {
      query: 'mutation { createDocument(input: { title: "Runbook", content: "steps" }) { id } }',
      token,
    });
    await graphql(supergraph.url, {
      query: 'mutation { createMemory(input: { content: "outage drill" }) { id } }',
      token,
    });
  });
  afterAll(async () => {
    await supergraph.close();
    dataDir.remove();
  });

  const full = {
    memories: {
      nodes: [
        {
          content: 'outage drill',
          createdBy: { displayName: 'chaos', documents: [{ title: 'Runbook' }] },
        },
      ],
    },
  };
  const partial = {
    memories: {
      nodes: [{ content: 'outage drill', createdBy: { displayName: 'chaos', documents: null } }],
    },
  };

  it('keeps the other subgraphs data, then opens the breaker, then recovers', async () => {
    expect((await graphql(supergraph.url, { query: JOIN, token })).data).toEqual(full);

    await supergraph.stop('ui');
    const down = await graphql(supergraph.url, { query: JOIN, token });
    expect(down.data).toEqual(partial);
    expect(errorCodes(down)).toEqual(['SUBGRAPH_UNAVAILABLE']);
    expect(down.errors![0]!.extensions!['serviceName']).toBe('ui');

    const open = await eventually(
      () => graphql(supergraph.url, { query: JOIN, token }),
      (result) => errorCodes(result).includes('SUBGRAPH_CIRCUIT_OPEN'),
      5,
    );
    expect(open.data).toEqual(partial);
    expect(errorCodes(open)).toEqual(['SUBGRAPH_CIRCUIT_OPEN']);
    expect(open.errors![0]!.extensions!['serviceName']).toBe('ui');
    const degraded = await readyz();
    expect(degraded.breakers['ui']).toBe('open');
    expect(degraded.breakers['memory']).toBe('closed');
    const metrics = await (await fetch(supergraph.url.replace('/graphql', '/metrics'))).text();
    expect(metrics).toMatch(/router_breaker_state\{subgraph="ui"[^}]*\} 2/);

    await supergraph.start('ui');
    const back = await eventually(
      () => graphql(supergraph.url, { query: JOIN, token }),
      (result) => result.errors === undefined,
    );
    expect(back.data).toEqual(full);
    expect((await readyz()).breakers['ui']).toBe('closed');
  });
});

describe('a subgraph that never answers', () => {
  let hanging: Server;
  let supergraph: Supergraph;
  beforeAll(async () => {
    hanging = createServer(() => {
      // accepts the request and never answers
    });
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const port = (hanging.address() as AddressInfo).port;
    supergraph = await startSupergraph({
      routeOverrides: { ui: `http://127.0.0.1:${port}/graphql` },
      env: { BREAKER_OVERRIDES: JSON.stringify({ ui: { timeoutMs: 200 } }) },
    });
  });
  afterAll(async () => {
    await supergraph.close();
    hanging.closeAllConnections();
    hanging.close();
  });

  it('times the call out with SUBGRAPH_TIMEOUT and keeps the rest', async () => {
    const { token } = await signUp(supergraph.url, 'slow@example.com');
    const result = await graphql(supergraph.url, {
      query: '{ me { displayName documents { title } } }',
      token,
    });
    expect(result.data).toEqual({ me: { displayName: 'slow', documents: null } });
    expect(errorCodes(result)).toEqual(['SUBGRAPH_TIMEOUT']);
    expect(result.errors![0]!.extensions!['serviceName']).toBe('ui');
  });
});
