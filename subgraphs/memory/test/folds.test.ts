// Folds: create, update, delete with or without memories, list with sort/limit/offset, and
// the policies of a full fold.
import { errorCodes } from '@supergraph/kit/testing';
import { CREATE, CREATE_FOLD, startMemory } from './setup.js';

type Harness = Awaited<ReturnType<typeof startMemory>>;
let memory: Harness;
beforeAll(async () => {
  memory = await startMemory();
});
afterAll(() => memory.subgraph.close());

const CONTENTS = `query($id: ID!) { fold(id: $id) { memoryCount memories(first: 50) { nodes { content } } } }`;
const UPDATE = `mutation($input: UpdateFoldInput!) { updateFold(input: $input) { id name capacity policy memoryCount } }`;

async function fill(
  user: Awaited<ReturnType<Harness['user']>>,
  policy: string,
  contents: string[],
) {
  const fold = (await user.call(CREATE_FOLD, { input: { name: policy, capacity: 2, policy } }))
    .data!.createFold.id;
  const ids: string[] = [];
  for (const content of contents) {
    const result = await user.call(CREATE, { input: { content, foldId: fold } });
    ids.push(result.data?.createMemory.id);
  }
  return { fold, ids };
}

describe('folds', () => {
  it('rejects a memory into a full fold with REJECT', async () => {
    const user = await memory.user();
    const { fold } = await fill(user, 'REJECT', ['one', 'two']);
    const third = await user.call(CREATE, { input: { content: 'three', foldId: fold } });
    expect(errorCodes(third)).toEqual(['CONFLICT']);
    const { data } = await user.call(CONTENTS, { id: fold });
    expect(data!.fold.memoryCount).toBe(2);
  });

  it('evicts the oldest with EVICT_OLDEST', async () => {
    const user = await memory.user();
    const { fold } = await fill(user, 'EVICT_OLDEST', ['one', 'two', 'three']);
    const { data } = await user.call(CONTENTS, { id: fold });
    expect(data!.fold.memories.nodes.map((m: { content: string }) => m.content)).toEqual([
      'three',
      'two',
    ]);
  });

  it('evicts the least recently read with EVICT_LEAST_RECENTLY_USED', async () => {
    const user = await memory.user();
    const { fold, ids } = await fill(user, 'EVICT_LEAST_RECENTLY_USED', ['one', 'two']);
    await user.call('query($id: ID!) { memory(id: $id) { id } }', { id: ids[0] });
    await user.call(CREATE, { input: { content: 'three', foldId: fold } });
    const { data } = await user.call(CONTENTS, { id: fold });
    expect(data!.fold.memories.nodes.map((m: { content: string }) => m.content).sort()).toEqual([
      'one',
      'three',
    ]);
  });

  it('updates name, policy and capacity; a smaller capacity applies the policy', async () => {
    const user = await memory.user();
    const fold = (
      await user.call(CREATE_FOLD, { input: { name: 'grow', capacity: 3, policy: 'REJECT' } })
    ).data!.createFold.id;
    for (const content of ['a', 'b', 'c'])
      await user.call(CREATE, { input: { content, foldId: fold } });
    const refused = await user.call(UPDATE, { input: { id: fold, capacity: 1 } });
    expect(errorCodes(refused)).toEqual(['CONFLICT']);
    const evicting = await user.call(UPDATE, {
      input: { id: fold, name: 'shrunk', capacity: 1, policy: 'EVICT_OLDEST' },
    });
    expect(evicting.data!.updateFold).toMatchObject({
      name: 'shrunk',
      capacity: 1,
      policy: 'EVICT_OLDEST',
      memoryCount: 1,
    });
    const bad = await user.call(UPDATE, { input: { id: fold, capacity: 0 } });
    expect(errorCodes(bad)).toEqual(['BAD_USER_INPUT']);
  });

  it('deletes a fold keeping its memories, or with them', async () => {
    const user = await memory.user();
    const keep = await fill(user, 'REJECT', ['kept']);
    expect(
      (await user.call('mutation($id: ID!) { deleteFold(id: $id) }', { id: keep.fold })).data!
        .deleteFold,
    ).toBe(keep.fold);
    const kept = await user.call('query($id: ID!) { memory(id: $id) { content fold { id } } }', {
      id: keep.ids[0],
    });
    expect(kept.data!.memory).toEqual({ content: 'kept', fold: null });
    const drop = await fill(user, 'REJECT', ['dropped']);
    await user.call('mutation($id: ID!) { deleteFold(id: $id, deleteMemories: true) }', {
      id: drop.fold,
    });
    expect(
      (await user.call('query($id: ID!) { memory(id: $id) { id } }', { id: drop.ids[0] })).data!
        .memory,
    ).toBeNull();
    const again = await user.call('mutation($id: ID!) { deleteFold(id: $id) }', { id: drop.fold });
    expect(errorCodes(again)).toEqual(['NOT_FOUND']);
  });

  it('lists folds with sort, limit and offset', async () => {
    const user = await memory.user();
    for (const name of ['beta', 'alpha', 'gamma'])
      await user.call(CREATE_FOLD, { input: { name } });
    const names = async (args: string) =>
      (await user.call(`{ folds(${args}) { name } }`)).data!.folds.map(
        (f: { name: string }) => f.name,
      );
    expect(await names('sort: { field: NAME, direction: ASC }')).toEqual([
      'alpha',
      'beta',
      'gamma',
    ]);
    expect(await names('sort: { field: NAME, direction: ASC }, first: 1, offset: 1')).toEqual([
      'beta',
    ]);
    expect(await names('sort: { field: CREATED_AT, direction: DESC }')).toEqual([
      'gamma',
      'alpha',
      'beta',
    ]);
    expect(errorCodes(await user.call('{ folds(first: 0) { id } }'))).toEqual(['BAD_USER_INPUT']);
  });

  it.each([
    ['a blank name', { name: ' ' }],
    ['a capacity of zero', { name: 'x', capacity: 0 }],
    ['a capacity over the maximum', { name: 'x', capacity: 1_000_001 }],
  ])('refuses %s', async (_case, input) => {
    const user = await memory.user();
    expect(errorCodes(await user.call(CREATE_FOLD, { input }))).toEqual(['BAD_USER_INPUT']);
    expect((await user.call('{ folds { id } }')).data!.folds).toEqual([]);
  });

  it('deduplicates into an existing memory of the fold when asked', async () => {
    const user = await memory.user();
    const fold = (await user.call(CREATE_FOLD, { input: { name: 'dedup' } })).data!.createFold.id;
    const first = await user.call(CREATE, {
      input: { content: 'Meeting moved to Tuesday at 10', foldId: fold },
    });
    const same = await user.call(CREATE, {
      input: { content: 'Meeting moved to Tuesday at 10', foldId: fold, deduplicate: true },
    });
    expect(same.data!.createMemory.id).toBe(first.data!.createMemory.id);
    const different = await user.call(CREATE, {
      input: { content: 'Lunch with the design team on Friday', foldId: fold, deduplicate: true },
    });
    expect(different.data!.createMemory.id).not.toBe(first.data!.createMemory.id);
    const notAsked = await user.call(CREATE, {
      input: { content: 'Meeting moved to Tuesday at 10', foldId: fold },
    });
    expect(notAsked.data!.createMemory.id).not.toBe(first.data!.createMemory.id);
  });

  it('pages the memories of every fold of a request with one statement', async () => {
    const user = await memory.user();
    for (const name of ['f1', 'f2', 'f3']) {
      const fold = (await user.call(CREATE_FOLD, { input: { name } })).data!.createFold.id;
      for (const n of [1, 2, 3])
        await user.call(CREATE, { input: { content: `${name}-${n}`, foldId: fold } });
    }
    memory.statements.length = 0;
    const { data } = await user.call(
      '{ folds(sort: { field: NAME, direction: ASC }) { memories(first: 2) { nodes { content } pageInfo { hasNextPage endCursor } } } }',
    );
    expect(data!.folds.map((f: any) => f.memories.nodes.map((m: any) => m.content))).toEqual([
      ['f1-3', 'f1-2'],
      ['f2-3', 'f2-2'],
      ['f3-3', 'f3-2'],
    ]);
    expect(memory.statements.filter((query) => query.includes('CROSS JOIN LATERAL'))).toHaveLength(
      1,
    );
    const fold = (
      await user.call(
        '{ folds(first: 1, sort: { field: NAME, direction: ASC }) { id memories(first: 2) { pageInfo { endCursor } } } }',
      )
    ).data!.folds[0];
    const next = await user.call(
      'query($id: ID!, $after: String) { fold(id: $id) { memories(first: 2, after: $after) { nodes { content } pageInfo { hasNextPage } } } }',
      {
        id: fold.id,
        after: fold.memories.pageInfo.endCursor,
      },
    );
    expect(next.data!.fold.memories).toEqual({
      nodes: [{ content: 'f1-1' }],
      pageInfo: { hasNextPage: false },
    });
  });
});
