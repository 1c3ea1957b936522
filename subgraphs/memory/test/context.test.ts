// Context compression and expansion, and topics of a fold, through GraphQL.
import { errorCodes } from '@supergraph/kit/testing';
import { CREATE, CREATE_FOLD, startMemory } from './setup.js';

type Harness = Awaited<ReturnType<typeof startMemory>>;
let memory: Harness;
let user: Awaited<ReturnType<Harness['user']>>;
beforeAll(async () => {
  memory = await startMemory({ EMBEDDING_DIMENSIONS: '256' });
  user = await memory.user();
});
afterAll(() => memory.subgraph.close());

const COMPRESS = `query($input: CompressContextInput!) {
  compressContext(input: $input) {
    text tokenCount tokenBudget originalTokenCount ratio
    kept { text score memory { id } messageIndex } dropped { text score }
  }
}`;

describe('compressContext and expandContext', () => {
  it('compresses messages within the budget and says what it kept and dropped', async () => {
    const messages = [
      'The database stores vectors. The index makes vector search fast.',
      'Vector search uses the index on the database. Lunch was pizza.',
      'The database index is rebuilt nightly for vector search.',
    ];
    const { data, errors } = await user.call(COMPRESS, { input: { messages, tokenBudget: 30 } });
    expect(errors).toBeUndefined();
    const result = data!.compressContext;
    expect(result.tokenCount).toBeLessThanOrEqual(30);
    expect(result.originalTokenCount).toBeGreaterThan(30);
    const all = [...result.kept, ...result.dropped] as { text: string; score: number }[];
    expect(result.kept.length + result.dropped.length).toBe(5);
    expect(result.dropped.length).toBeGreaterThan(0);
    // The off-topic sentence is the least central one; the most central ones are kept.
    const byScore = [...all].sort((a, b) => a.score - b.score);
    expect(byScore[0]!.text).toBe('Lunch was pizza.');
    const keptTexts = result.kept.map((s: { text: string }) => s.text);
    expect(keptTexts).toContain(byScore.at(-1)!.text);
    expect(result.kept.every((s: { messageIndex: number }) => s.messageIndex >= 0)).toBe(true);
  });

  it('compresses memories and expands back to the originals', async () => {
    const ids: string[] = [];
    for (const content of [
      'Alice owns the billing service. It runs on Postgres.',
      'Bob owns search. Search runs on pgvector.',
    ]) {
      ids.push((await user.call(CREATE, { input: { content } })).data!.createMemory.id);
    }
    const { data } = await user.call(COMPRESS, { input: { memoryIds: ids, tokenBudget: 1000 } });
    expect(data!.compressContext.ratio).toBe(1);
    expect(data!.compressContext.kept[0].memory).toEqual({ id: ids[0] });
    const expanded = await user.call(
      'query($ids: [ID!]!) { expandContext(memoryIds: $ids) { content } }',
      { ids: [ids[1], ids[0]] },
    );
    expect(expanded.data!.expandContext.map((m: { content: string }) => m.content)).toEqual([
      'Bob owns search. Search runs on pgvector.',
      'Alice owns the billing service. It runs on Postgres.',
    ]);
  });

  it.each([
    ['a budget of zero', { messages: ['x'], tokenBudget: 0 }],
    ['both messages and memories', { messages: ['x'], memoryIds: [], tokenBudget: 10 }],
    ['neither messages nor memories', { tokenBudget: 10 }],
    ['only blank messages', { messages: [' '], tokenBudget: 10 }],
  ])('refuses %s', async (_case, input) => {
    expect(errorCodes(await user.call(COMPRESS, { input }))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('topics', () => {
  it('clusters a fold by meaning and labels clusters by their terms', async () => {
    const fold = (await user.call(CREATE_FOLD, { input: { name: 'mixed' } })).data!.createFold.id;
    const groups = {
      cooking: [
        'Simmer the tomato sauce recipe slowly',
        'This pasta recipe needs fresh basil',
        'Bake the bread recipe at high heat',
        'A soup recipe with garlic and onions',
      ],
      football: [
        'The striker scored a late goal',
        'A penalty goal won the match',
        'The goalkeeper saved a goal on the line',
        'Fans cheered the winning goal',
      ],
    };
    const idsOf: Record<string, string[]> = { cooking: [], football: [] };
    for (const [group, texts] of Object.entries(groups)) {
      for (const content of texts)
        idsOf[group]!.push(
          (await user.call(CREATE, { input: { content, foldId: fold } })).data!.createMemory.id,
        );
    }
    const { data, errors } = await user.call(
      'query($id: ID!) { fold(id: $id) { topics(k: 2) { label terms size memories { id } } } }',
      { id: fold },
    );
    expect(errors).toBeUndefined();
    const topics = data!.fold.topics as { terms: string[]; memories: { id: string }[] }[];
    expect(topics).toHaveLength(2);
    const recipe = topics.find((topic) => topic.terms.includes('recipe'))!;
    const goal = topics.find((topic) => topic.terms.includes('goal'))!;
    expect(recipe.memories.map((m) => m.id).sort()).toEqual([...idsOf['cooking']!].sort());
    expect(goal.memories.map((m) => m.id).sort()).toEqual([...idsOf['football']!].sort());
    const one = await user.call('query($id: ID!) { memory(id: $id) { topics { terms } } }', {
      id: idsOf['football']![0],
    });
    expect(one.data!.memory.topics[0].terms).toContain('goal');
  });
});
