// Subscriptions through the router when things fail: the owning subgraph dies mid-stream, an
// entity subgraph dies mid-stream, the owning subgraph's breaker is open, and the router loads
// a new supergraph.
import { readFileSync } from 'node:fs';
import { errorCodes, graphql } from '@supergraph/kit/testing';
import type { Client } from 'graphql-ws';
import { SUPERGRAPH_FILE } from '../../schema/compose.js';
import { signUp, startSupergraph, temporaryDataDir, type Supergraph } from '../harness.js';
import { openSubscriptions, subscribeWs, untilOpenSubscriptions, wsClient } from '../realtime.js';

const CREATE = 'mutation($content: String!) { createMemory(input: { content: $content }) { id } }';
const WATCH = `subscription {
  memoryEvents { type memory { content createdBy { email } } }
}`;

describe('subscriptions under failure', () => {
  // On disk, so that a restarted subgraph keeps its data (and security its signing keys).
  const dataDir = temporaryDataDir('supergraph-subscriptions');
  let supergraph: Supergraph;
  let user: Awaited<ReturnType<typeof signUp>>;
  const clients: Client[] = [];
  const watch = () => {
    const client = wsClient(supergraph.url, user.token);
    clients.push(client);
    return subscribeWs(client, { query: WATCH });
  };
  const live = (n: number) => untilOpenSubscriptions(supergraph.services.memory, n);
  const create = (content: string) =>
    graphql(supergraph.url, { query: CREATE, variables: { content }, token: user.token });

  beforeAll(async () => {
    supergraph = await startSupergraph({ dataDir: dataDir.path });
    user = await signUp(supergraph.url);
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.dispose()));
  });
  afterAll(async () => {
    await supergraph.close();
    dataDir.remove();
  });

  it('keeps streaming with partial data while an entity subgraph is down', async () => {
    const events = watch();
    await live(1);
    await supergraph.stop('security');
    try {
      await create('while security is down');
      const [partial] = await events.received(1);
      expect(partial!.data).toEqual({
        memoryEvents: {
          type: 'CREATED',
          memory: { content: 'while security is down', createdBy: { email: null } },
        },
      });
      expect(errorCodes(partial!)).toEqual(['SUBGRAPH_UNAVAILABLE']);
      expect(partial!.errors![0]!.extensions).toMatchObject({ serviceName: 'security' });
    } finally {
      await supergraph.start('security');
    }
    await create('security is back');
    const [, whole] = await events.received(2);
    expect(whole).toEqual({
      data: {
        memoryEvents: {
          type: 'CREATED',
          memory: { content: 'security is back', createdBy: { email: user.email } },
        },
      },
    });
  });

  it('ends the stream with SUBGRAPH_SUBSCRIPTION_FAILED when the owning subgraph dies', async () => {
    const events = watch();
    await live(1);
    await supergraph.stop('memory');
    try {
      await events.done; // completed by the server, not left hanging
      expect(events.results).toHaveLength(1);
      expect(errorCodes(events.results[0]!)).toEqual(['SUBGRAPH_SUBSCRIPTION_FAILED']);
      expect(events.results[0]!.errors![0]!.extensions).toMatchObject({ serviceName: 'memory' });
      expect(supergraph.router.subscriptions.stats).toMatchObject({ subscriptions: 0 });

      // Subscribing while it is down fails the same way at once.
      const refused = watch();
      await refused.done;
      expect(refused.results.flatMap((result) => errorCodes(result))).toEqual([
        'SUBGRAPH_SUBSCRIPTION_FAILED',
      ]);
    } finally {
      await supergraph.start('memory');
    }
    const again = watch();
    await live(1);
    await create('after the restart');
    const [event] = await again.received(1);
    expect(event!.data!.memoryEvents.memory.content).toBe('after the restart');
  });

  it('fails at once with SUBGRAPH_CIRCUIT_OPEN while the breaker is open', async () => {
    const { breaker } = supergraph.router.breakers.get('memory')!;
    breaker.open();
    try {
      const events = watch();
      await events.done;
      expect(events.results.flatMap((result) => errorCodes(result))).toEqual([
        'SUBGRAPH_CIRCUIT_OPEN',
      ]);
      expect(await openSubscriptions(supergraph.services.memory)).toBe(0);
    } finally {
      breaker.close();
    }
  });

  it('ends open subscriptions with SUPERGRAPH_RELOADED when a new supergraph loads', async () => {
    const events = watch();
    await live(1);
    const changed = `${readFileSync(SUPERGRAPH_FILE, 'utf8')}\n# reloaded by a test\n`;
    supergraph.router.reloadSupergraph(changed);
    await events.done;
    expect(events.results.flatMap((result) => errorCodes(result))).toEqual(['SUPERGRAPH_RELOADED']);
    await live(0);

    // Subscribing again works against the new supergraph.
    const again = watch();
    await live(1);
    await create('after the reload');
    const [event] = await again.received(1);
    expect(event!.data!.memoryEvents.memory.content).toBe('after the reload');
  });
});
