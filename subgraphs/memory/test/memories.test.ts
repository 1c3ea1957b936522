// Memories: create (one and a batch), read, list with cursors and sorting, update, delete,
// expiry, permissions, and bad input that writes nothing.
import { randomUUID } from 'node:crypto';
import { errorCodes, graphqlLiteral } from '@supergraph/kit/testing';
import { CREATE, CREATE_FOLD, startMemory } from './setup.js';

type Harness = Awaited<ReturnType<typeof startMemory>>;
let memory: Harness;
let alice: Awaited<ReturnType<Harness['user']>>;

beforeAll(async () => {
  memory = await startMemory();
  alice = await memory.user();
});
afterAll(() => memory.subgraph.close());

const LIST = `query($first: Int, $after: String, $sort: MemorySort, $filter: MemoryFilter) {
  memories(first: $first, after: $after, sort: $sort, filter: $filter) {
    edges { cursor node { id content } } pageInfo { hasNextPage endCursor }
  }
}`;
const total = async (user = alice) => {
  let count = 0;
  let after: string | null = null;
  do {
    const page: any = await user.call(LIST, { first: 100, after });
    count += page.data.memories.edges.length;
    after = page.data.memories.pageInfo.hasNextPage ? page.data.memories.pageInfo.endCursor : null;
  } while (after);
  return count;
};

describe('memories', () => {
  it('creates, reads, updates and deletes a memory', async () => {
    const created = await alice.call(CREATE, {
      input: { content: 'Paris is the capital of France', metadata: { lang: 'en' } },
    });
    expect(created.errors).toBeUndefined();
    const { id } = created.data!.createMemory;
    expect(created.data!.createMemory).toMatchObject({
      content: 'Paris is the capital of France',
      metadata: { lang: 'en' },
      embeddingModel: 'offline-hash:hash-ngrams-v1:64',
    });

    const updated = await alice.call(
      `mutation($input: UpdateMemoryInput!) { updateMemory(input: $input) { id content metadata updatedAt createdAt } }`,
      {
        input: {
          id,
          content: 'Paris is the capital and largest city of France',
          metadata: { lang: 'en', checked: true },
        },
      },
    );
    expect(updated.errors).toBeUndefined();
    expect(updated.data!.updateMemory).toMatchObject({
      content: 'Paris is the capital and largest city of France',
      metadata: { lang: 'en', checked: true },
    });

    const read = await alice.call('query($id: ID!) { memory(id: $id) { content } }', { id });
    expect(read.data!.memory.content).toBe('Paris is the capital and largest city of France');

    const deleted = await alice.call('mutation($id: ID!) { deleteMemory(id: $id) }', { id });
    expect(deleted.data!.deleteMemory).toBe(id);
    expect(
      (await alice.call('query($id: ID!) { memory(id: $id) { id } }', { id })).data!.memory,
    ).toBeNull();
    const again = await alice.call('mutation($id: ID!) { deleteMemory(id: $id) }', { id });
    expect(errorCodes(again)).toEqual(['NOT_FOUND']);
  });

  it('creates a batch in one transaction: all, or none when one input is bad', async () => {
    const before = await total();
    const ok = await alice.call(
      'mutation($inputs: [CreateMemoryInput!]!) { createMemories(inputs: $inputs) { content } }',
      {
        inputs: [{ content: 'one' }, { content: 'two' }, { content: 'three' }],
      },
    );
    expect(ok.data!.createMemories.map((m: { content: string }) => m.content)).toEqual([
      'one',
      'two',
      'three',
    ]);
    const bad = await alice.call(
      'mutation($inputs: [CreateMemoryInput!]!) { createMemories(inputs: $inputs) { id } }',
      {
        inputs: [{ content: 'four' }, { content: '  ' }, { content: 'six' }],
      },
    );
    expect(errorCodes(bad)).toEqual(['BAD_USER_INPUT']);
    expect(bad.errors![0]!.extensions!['field']).toBe('inputs.1.content');
    const full = await alice.call(CREATE_FOLD, { input: { name: 'small', capacity: 1 } });
    const overfull = await alice.call(
      'mutation($inputs: [CreateMemoryInput!]!) { createMemories(inputs: $inputs) { id } }',
      {
        inputs: [
          { content: 'a', foldId: full.data!.createFold.id },
          { content: 'b', foldId: full.data!.createFold.id },
        ],
      },
    );
    expect(errorCodes(overfull)).toEqual(['CONFLICT']);
    expect(await total()).toBe(before + 3);
  });

  it('pages with cursors in both sort orders without gaps or repeats', async () => {
    const bob = await memory.user();
    const contents = Array.from({ length: 7 }, (_, i) => `page item ${i}`);
    for (const content of contents) await bob.call(CREATE, { input: { content } });
    const walk = async (direction: 'ASC' | 'DESC') => {
      const seen: string[] = [];
      let after: string | null = null;
      do {
        const page: any = await bob.call(LIST, {
          first: 3,
          after,
          sort: { field: 'CREATED_AT', direction },
        });
        seen.push(...page.data.memories.edges.map((edge: any) => edge.node.content));
        after = page.data.memories.pageInfo.hasNextPage
          ? page.data.memories.pageInfo.endCursor
          : null;
      } while (after);
      return seen;
    };
    expect(await walk('ASC')).toEqual(contents);
    expect(await walk('DESC')).toEqual([...contents].reverse());
    const bogus = await bob.call(LIST, { after: 'not-a-cursor' });
    expect(errorCodes(bogus)).toEqual(['BAD_USER_INPUT']);
  });

  it('filters the list by fold and metadata', async () => {
    const carol = await memory.user();
    const fold = (await carol.call(CREATE_FOLD, { input: { name: 'work' } })).data!.createFold.id;
    await carol.call(CREATE, {
      input: { content: 'in fold', foldId: fold, metadata: { tag: 'x', n: 1 } },
    });
    await carol.call(CREATE, { input: { content: 'outside', metadata: { tag: 'x', n: 2 } } });
    const byFold = await carol.call(LIST, { filter: { foldId: fold } });
    expect(byFold.data!.memories.edges.map((e: any) => e.node.content)).toEqual(['in fold']);
    const byMeta = await carol.call(LIST, { filter: { metadataEquals: [{ key: 'n', value: 2 }] } });
    expect(byMeta.data!.memories.edges.map((e: any) => e.node.content)).toEqual(['outside']);
    const contains = await carol.call(LIST, { filter: { metadataContains: { tag: 'x' } } });
    expect(contains.data!.memories.edges).toHaveLength(2);
    const malformed = await carol.call(LIST, { filter: { metadataContains: [1, 2] } });
    expect(errorCodes(malformed)).toEqual(['BAD_USER_INPUT']);
  });

  it('takes metadata written inline as a JSON literal, in create, update and filters', async () => {
    const erin = await memory.user();
    const metadata = { team: 'ops', tags: ['a', { nested: [1, null] }], empty: {}, none: null };
    const created = await erin.call(
      `mutation { createMemory(input: { content: "inline", metadata: ${graphqlLiteral(metadata)} }) { id metadata } }`,
    );
    expect(created.errors).toBeUndefined();
    expect(created.data!.createMemory.metadata).toEqual(metadata);
    const id = created.data!.createMemory.id;
    const batch = await erin.call(
      `mutation { createMemories(inputs: [{ content: "batch", metadata: { team: "ops", n: 2 } }]) { metadata } }`,
    );
    expect(batch.errors).toBeUndefined();
    expect(batch.data!.createMemories).toEqual([{ metadata: { team: 'ops', n: 2 } }]);
    const updated = await erin.call(
      `mutation($id: ID!) { updateMemory(input: { id: $id, metadata: { team: "dev", list: [[1], { a: true }] } }) { metadata } }`,
      { id },
    );
    expect(updated.errors).toBeUndefined();
    expect(updated.data!.updateMemory.metadata).toEqual({ team: 'dev', list: [[1], { a: true }] });
    const contains = await erin.call(
      '{ memories(filter: { metadataContains: { team: "dev" } }) { edges { node { content } } } }',
    );
    expect(contains.data!.memories.edges).toEqual([{ node: { content: 'inline' } }]);
    const equals = await erin.call(
      '{ memories(filter: { metadataEquals: [{ key: "n", value: 2 }] }) { edges { node { content } } } }',
    );
    expect(equals.data!.memories.edges).toEqual([{ node: { content: 'batch' } }]);
  });

  it('never returns an expired memory, and purges it', async () => {
    const dave = await memory.user();
    const soon = new Date(Date.now() + 300).toISOString();
    const { data } = await dave.call(CREATE, {
      input: { content: 'short-lived', expiresAt: soon },
    });
    const id = data!.createMemory.id;
    expect(
      (await dave.call('query($id: ID!) { memory(id: $id) { id } }', { id })).data!.memory,
    ).toEqual({ id });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(
      (await dave.call('query($id: ID!) { memory(id: $id) { id } }', { id })).data!.memory,
    ).toBeNull();
    expect(await total(dave)).toBe(0);
    const past = await dave.call(CREATE, {
      input: { content: 'already gone', expiresAt: new Date(Date.now() - 1000).toISOString() },
    });
    expect(errorCodes(past)).toEqual(['BAD_USER_INPUT']);
  });

  it('keeps memories private and needs the scopes', async () => {
    const { data } = await alice.call(CREATE, { input: { content: 'private' } });
    const eve = await memory.user();
    expect(
      (await eve.call('query($id: ID!) { memory(id: $id) { id } }', { id: data!.createMemory.id }))
        .data!.memory,
    ).toBeNull();
    const update = await eve.call(
      'mutation($input: UpdateMemoryInput!) { updateMemory(input: $input) { id } }',
      { input: { id: data!.createMemory.id, content: 'mine now' } },
    );
    expect(errorCodes(update)).toEqual(['NOT_FOUND']);
    expect(errorCodes(await memory.anonymous(CREATE, { input: { content: 'x' } }))).toEqual([
      'UNAUTHENTICATED',
    ]);
    const reader = await memory.user(['memory:read']);
    expect(errorCodes(await reader.call(CREATE, { input: { content: 'x' } }))).toEqual([
      'FORBIDDEN',
    ]);
  });

  it.each([
    ['empty content', { content: '' }, 'input.content', 'BAD_USER_INPUT'],
    ['over-long content', { content: 'x'.repeat(2_001) }, 'input.content', 'BAD_USER_INPUT'],
    [
      'metadata not an object',
      { content: 'ok', metadata: 'text' },
      'input.metadata',
      'BAD_USER_INPUT',
    ],
    [
      'a vector of the wrong dimension',
      { content: 'ok', embedding: [1, 2, 3] },
      'input.embedding',
      'BAD_USER_INPUT',
    ],
    ['an unknown fold', { content: 'ok', foldId: randomUUID() }, 'input.foldId', 'NOT_FOUND'],
    ['an unknown parent', { content: 'ok', parentId: randomUUID() }, 'input.parentId', 'NOT_FOUND'],
    [
      'a parent id that is no id',
      { content: 'ok', parentId: 'nope' },
      'input.parentId',
      'NOT_FOUND',
    ],
  ])('refuses %s and writes nothing', async (_case, input, field, code) => {
    const before = await total();
    const result = await alice.call(CREATE, { input });
    expect(errorCodes(result)).toEqual([code]);
    expect(result.errors![0]!.extensions!['field']).toBe(field);
    expect(await total()).toBe(before);
  });

  it('accepts a vector of the right dimension and refuses non-finite numbers', async () => {
    const vector = Array.from({ length: 64 }, (_, i) => (i === 0 ? 1 : 0));
    const ok = await alice.call(CREATE, { input: { content: 'own vector', embedding: vector } });
    expect(ok.data!.createMemory.embeddingModel).toBe('client');
    const response = await memory.subgraph.yoga.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${alice.token}` },
      body: `{"query":${JSON.stringify(CREATE)},"variables":{"input":{"content":"inf","embedding":[1e999${',0'.repeat(63)}]}}}`,
    });
    const body = await response.json();
    expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });
});
