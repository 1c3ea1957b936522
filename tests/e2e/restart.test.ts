// The embedded database keeps what was written across a restart of every service.
import { graphql } from '@supergraph/kit/testing';
import { startSupergraph, temporaryDataDir } from '../harness.js';

describe('restart on the embedded database', () => {
  const dataDir = temporaryDataDir('supergraph-restart');
  afterAll(() => dataDir.remove());

  it('reads after a restart what was written before it', async () => {
    const first = await startSupergraph({ dataDir: dataDir.path });
    let memoryId: string;
    try {
      const signUp = await graphql(first.url, {
        query:
          'mutation { signUp(input: { email: "keep@example.com", password: "a long password" }) { token } }',
      });
      const created = await graphql(first.url, {
        query: 'mutation { createMemory(input: { content: "remember me" }) { id } }',
        token: signUp.data!.signUp.token,
      });
      memoryId = created.data!.createMemory.id;
    } finally {
      await first.close();
    }

    const second = await startSupergraph({ dataDir: dataDir.path });
    try {
      const login = await graphql(second.url, {
        query:
          'mutation { login(input: { email: "keep@example.com", password: "a long password" }) { token } }',
      });
      expect(login.errors).toBeUndefined();
      const read = await graphql(second.url, {
        query: 'query($id: ID!) { memory(id: $id) { content createdBy { email } } }',
        variables: { id: memoryId },
        token: login.data!.login.token,
      });
      expect(read.data).toEqual({
        memory: { content: 'remember me', createdBy: { email: 'keep@example.com' } },
      });
    } finally {
      await second.close();
    }
    // Two whole supergraphs start one after the other in this test: each takes about 10 s on
    // an idle machine and more under a loaded CI, so the hang guard is wider than the default.
  }, 180_000);
});
