// Nothing acknowledged is lost: the ui subgraph (its own process, its embedded database on
// disk) is killed with SIGKILL right after it acknowledges an update, while more updates are
// in flight; after a restart every acknowledged update is in the document.
import * as Y from 'yjs';
import { graphql, waitFor } from '@supergraph/kit/testing';
import { freePort, startChildService, type ChildService } from '../child-service.js';
import { APPLY, createDocument, edit, READ, syncedDoc } from '../collab.js';
import { signUp, startSupergraph, temporaryDataDir, type Supergraph } from '../harness.js';

const IN_FLIGHT = 8;

describe('a ui subgraph killed right after an acknowledgement', () => {
  const dataDir = temporaryDataDir('collab-sigkill');
  let supergraph: Supergraph;
  let ui: ChildService | undefined;
  let port: number;
  const env = () => ({
    DATA_DIR: dataDir.path,
    SECURITY_JWKS_URL: supergraph.subgraphUrls.security.replace(
      '/graphql',
      '/.well-known/jwks.json',
    ),
  });

  beforeAll(async () => {
    port = await freePort();
    supergraph = await startSupergraph({
      routeOverrides: { ui: `http://127.0.0.1:${port}/graphql` },
    });
  }, 180_000);
  afterAll(async () => {
    await ui?.stop('SIGKILL');
    await supergraph?.close();
    dataDir.remove();
  });

  it('has every acknowledged update after a restart', async () => {
    ui = await startChildService('ui', port, env());
    const { token } = await signUp(supergraph.url);
    const id = await createDocument(supergraph.url, token);
    const acknowledged: string[] = [];
    let killed: Promise<void> | undefined;

    // Writers keep updates in flight; the first acknowledgement after the tenth kills the
    // subgraph at once, so later ones die mid-transaction or before they are read. Each writer
    // is a client of its own that sends one update at a time, as a provider does: a Yjs update
    // only shows once the ones before it from the same client are there.
    const writer = async (n: number) => {
      const doc = await syncedDoc(supergraph.url, token, id);
      for (let i = 0; !killed || i === 0; i += 1) {
        const marker = `[${n}.${i}]`;
        const update = edit(doc, (text) => text.insert(text.length, marker));
        const result = await graphql(supergraph.url, {
          query: APPLY,
          variables: {
            input: { documentId: id, clientId: String(doc.clientID), updates: [update] },
          },
          token,
        });
        if (result.errors) return;
        acknowledged.push(marker);
        if (acknowledged.length >= 10 && !killed) killed = ui!.stop('SIGKILL');
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, (_, n) => writer(n)));
    await killed;
    expect(acknowledged.length).toBeGreaterThanOrEqual(10);

    ui = await startChildService('ui', port, env());
    let content = '';
    await waitFor(
      async () => {
        const read = await graphql(supergraph.url, { query: READ, variables: { id }, token });
        content =
          (read.data as { document?: { content: string } } | undefined)?.document?.content ?? '';
        return content !== '';
      },
      'the document through the router after the restart',
      60_000,
    );
    for (const marker of acknowledged) expect(content).toContain(marker);
    // What a client has locally after syncing again holds them too.
    const again = await syncedDoc(supergraph.url, token, id);
    const text = again.getText('content').toString();
    expect(text).toBe(content);
    expect(Y.encodeStateVector(again).length).toBeGreaterThan(0);
  }, 240_000);
});
