// Two replicas of the memory subgraph on one PostgreSQL database and the machine's Redis: an
// event published by one reaches subscribers connected through the other, through the router
// and directly.
import { createTestDatabase, graphql, waitFor } from '@supergraph/kit/testing';
import type { Client } from 'graphql-ws';
import * as memoryConfig from '../../subgraphs/memory/src/config.js';
import { createMemorySubgraph } from '../../subgraphs/memory/src/subgraph.js';
import { signUp, startSupergraph, type Supergraph } from '../harness.js';
import { subscribeWs, wsClient, type Received } from '../realtime.js';

const DATABASE_SERVER = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

const CREATE = 'mutation($content: String!) { createMemory(input: { content: $content }) { id } }';
const WATCH = 'subscription { memoryEvents { type memory { content createdBy { email } } } }';
/** Directly at the subgraph, a User is only the reference it holds. */
const WATCH_DIRECT = 'subscription { memoryEvents { type memory { content createdBy { id } } } }';

describe('memory replicas through Redis', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let supergraph: Supergraph;
  let replica: Awaited<ReturnType<typeof createMemorySubgraph>>;
  let replicaUrl: string;
  const clients: Client[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(DATABASE_SERVER, 'sg_replicas');
    const env = { REDIS_URL, MEMORY_DATABASE_URL: database.url };
    supergraph = await startSupergraph({ env });
    // The second replica: the same database and Redis, its own process state and port.
    replica = await createMemorySubgraph(
      memoryConfig.parseConfig({
        ...env,
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        PORT: '0',
        SECURITY_JWKS_URL: supergraph.subgraphUrls.security.replace(
          '/graphql',
          '/.well-known/jwks.json',
        ),
      }),
    );
    replicaUrl = (await replica.listen()).url;
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await replica?.close();
    await supergraph?.close();
    await database?.drop();
  });

  /** Redis subscribes asynchronously: a subscription is live once a probe event reaches it. */
  async function primed(events: Received, probe: () => Promise<unknown>) {
    await waitFor(async () => {
      await probe();
      await new Promise((resolve) => setTimeout(resolve, 50));
      return events.results.length > 0;
    }, 'the subscription to go live');
  }

  /** The events after the probes (which may still be arriving), once there are n. */
  async function written(events: Received, n: number) {
    const real = () =>
      events.results.filter((result) => result.data?.['memoryEvents']?.memory?.content !== 'probe');
    await waitFor(() => real().length >= n, `${n} events`);
    return real();
  }

  it('delivers an event published by the other replica, through the router and directly', async () => {
    const { token, email, userId } = await signUp(supergraph.url);
    const viaRouter = wsClient(supergraph.url, token); // the router routes memory to replica 1
    const direct = wsClient(replicaUrl, token); // replica 2
    clients.push(viaRouter, direct);
    const routed = subscribeWs(viaRouter, { query: WATCH });
    const onReplica = subscribeWs(direct, { query: WATCH_DIRECT });
    const createOn = (url: string, content: string) =>
      graphql(url, { query: CREATE, variables: { content }, token });
    await primed(routed, () => createOn(replicaUrl, 'probe'));
    await primed(onReplica, () => createOn(supergraph.url, 'probe'));

    // Written on replica 2, seen through the router (replica 1), and the other way round.
    await createOn(replicaUrl, 'written on replica 2');
    await createOn(supergraph.url, 'written through the router');
    const expected = (content: string) => ({
      data: { memoryEvents: { type: 'CREATED', memory: { content, createdBy: { email } } } },
    });
    expect(await written(routed, 2)).toEqual([
      expected('written on replica 2'),
      expected('written through the router'),
    ]);
    expect(
      (await written(onReplica, 2)).map((result) => result.data!['memoryEvents'].memory),
    ).toEqual([
      { content: 'written on replica 2', createdBy: { id: userId } },
      { content: 'written through the router', createdBy: { id: userId } },
    ]);
  });
});
