// A database keeps the embedding dimension it started with: opening it with another one is
// refused at start with a message that says what to do, and nothing is changed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestIssuer, graphql } from '@supergraph/kit/testing';
import { createMemorySubgraph } from '../src/subgraph.js';
import { testConfig } from './setup.js';

describe('embedder dimension at start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'memory-dimension-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('refuses a different dimension on a database with memories, and accepts the same', async () => {
    const issuer = await createTestIssuer();
    const token = await issuer.token('7f1d9a52-4a53-4a8e-9f51-3c8f1e1c2b10', [
      'memory:read',
      'memory:write',
    ]);
    const open = (dimensions: string) =>
      createMemorySubgraph(testConfig({ DATA_DIR: dataDir, EMBEDDING_DIMENSIONS: dimensions }), {
        verifier: issuer.verifier,
      });

    const first = await open('64');
    const created = await graphql(first.yoga, {
      query: 'mutation { createMemory(input: { content: "kept at 64 dimensions" }) { id } }',
      token,
    });
    expect(created.errors).toBeUndefined();
    await first.close();

    await expect(open('128')).rejects.toThrow(
      /holds 1 embeddings of 64 dimensions, but the embedder is configured for 128 \(EMBEDDING_DIMENSIONS\)/,
    );

    const again = await open('64');
    const read = await graphql(again.yoga, {
      query: '{ searchMemories(input: { text: "kept", topK: 1 }) { memory { content } } }',
      token,
    });
    expect(read.data).toEqual({
      searchMemories: [{ memory: { content: 'kept at 64 dimensions' } }],
    });
    await again.close();
  });
});
