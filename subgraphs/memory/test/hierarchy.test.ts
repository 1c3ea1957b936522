// Trees of memories: parent, children, ancestors, depth, per-fold summaries, and the rules
// that keep a tree a tree (same fold, no cycles).
import { errorCodes } from '@supergraph/kit/testing';
import { CREATE, CREATE_FOLD, startMemory } from './setup.js';

type Harness = Awaited<ReturnType<typeof startMemory>>;
let memory: Harness;
let user: Awaited<ReturnType<Harness['user']>>;
beforeAll(async () => {
  memory = await startMemory();
  user = await memory.user();
});
afterAll(() => memory.subgraph.close());

const UPDATE = `mutation($input: UpdateMemoryInput!) { updateMemory(input: $input) { id parent { id } fold { id } } }`;
const create = async (content: string, extra: Record<string, unknown> = {}) =>
  (await user.call(CREATE, { input: { content, ...extra } })).data!.createMemory.id as string;

describe('hierarchical memory', () => {
  it('walks a tree up and down', async () => {
    const fold = (await user.call(CREATE_FOLD, { input: { name: 'tree' } })).data!.createFold.id;
    const root = await create('project', { foldId: fold });
    const child = await create('milestone', { foldId: fold, parentId: root });
    const leaf = await create('task', { foldId: fold, parentId: child });
    const { data } = await user.call(
      `query($leaf: ID!, $root: ID!) {
        leaf: memory(id: $leaf) { depth parent { content } ancestors { content } }
        root: memory(id: $root) { depth children { content children { content } } }
      }`,
      { leaf, root },
    );
    expect(data).toEqual({
      leaf: {
        depth: 2,
        parent: { content: 'milestone' },
        ancestors: [{ content: 'project' }, { content: 'milestone' }],
      },
      root: { depth: 0, children: [{ content: 'milestone', children: [{ content: 'task' }] }] },
    });
  });

  it('refuses a parent in another fold, a cycle, and itself as parent', async () => {
    const a = (await user.call(CREATE_FOLD, { input: { name: 'a' } })).data!.createFold.id;
    const b = (await user.call(CREATE_FOLD, { input: { name: 'b' } })).data!.createFold.id;
    const inA = await create('in a', { foldId: a });
    const other = await user.call(CREATE, { input: { content: 'in b', foldId: b, parentId: inA } });
    expect(errorCodes(other)).toEqual(['BAD_USER_INPUT']);
    expect(other.errors![0]!.extensions!['field']).toBe('input.parentId');

    const top = await create('top', { foldId: a });
    const below = await create('below', { foldId: a, parentId: top });
    const cycle = await user.call(UPDATE, { input: { id: top, parentId: below } });
    expect(errorCodes(cycle)).toEqual(['BAD_USER_INPUT']);
    const self = await user.call(UPDATE, { input: { id: top, parentId: top } });
    expect(errorCodes(self)).toEqual(['BAD_USER_INPUT']);
    const unchanged = await user.call('query($id: ID!) { memory(id: $id) { parent { id } } }', {
      id: top,
    });
    expect(unchanged.data!.memory.parent).toBeNull();
    const moved = await user.call(UPDATE, { input: { id: top, foldId: b } });
    expect(errorCodes(moved)).toEqual(['BAD_USER_INPUT']);
  });

  it('re-parents and detaches, and a deleted parent leaves roots', async () => {
    const p1 = await create('first parent');
    const p2 = await create('second parent');
    const kid = await create('kid', { parentId: p1 });
    const moved = await user.call(UPDATE, { input: { id: kid, parentId: p2 } });
    expect(moved.data!.updateMemory.parent).toEqual({ id: p2 });
    await user.call('mutation($id: ID!) { deleteMemory(id: $id) }', { id: p2 });
    const orphan = await user.call('query($id: ID!) { memory(id: $id) { parent { id } depth } }', {
      id: kid,
    });
    expect(orphan.data!.memory).toEqual({ parent: null, depth: 0 });
  });

  it('keeps one summary memory per level of a fold', async () => {
    const fold = (await user.call(CREATE_FOLD, { input: { name: 'summaries' } })).data!.createFold
      .id;
    const SET = `mutation($input: SetFoldSummaryInput!) { setFoldSummary(input: $input) { id summaryLevel content } }`;
    const first = await user.call(SET, {
      input: { foldId: fold, level: 0, content: 'week one went well' },
    });
    await user.call(SET, { input: { foldId: fold, level: 1, content: 'the month in short' } });
    const replaced = await user.call(SET, {
      input: { foldId: fold, level: 0, content: 'week one went very well' },
    });
    expect(replaced.data!.setFoldSummary.id).toBe(first.data!.setFoldSummary.id);
    const { data } = await user.call(
      'query($id: ID!) { fold(id: $id) { summaries { summaryLevel content } } }',
      { id: fold },
    );
    expect(data!.fold.summaries).toEqual([
      { summaryLevel: 0, content: 'week one went very well' },
      { summaryLevel: 1, content: 'the month in short' },
    ]);
    const bad = await user.call(SET, { input: { foldId: fold, level: -1, content: 'x' } });
    expect(errorCodes(bad)).toEqual(['BAD_USER_INPUT']);
  });
});
