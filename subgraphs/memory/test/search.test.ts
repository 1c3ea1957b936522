// Vector search: by text and by vector, filters, metrics, minScore, neighbours of a memory,
// and the batching of every search of one request into one SQL statement.
import { errorCodes } from '@supergraph/kit/testing';
import { CREATE, CREATE_FOLD, startMemory } from './setup.js';

type Harness = Awaited<ReturnType<typeof startMemory>>;
let memory: Harness;
let user: Awaited<ReturnType<Harness['user']>>;
let fold: string;
const ids: Record<string, string> = {};

const FACTS = {
  cat: 'The cat sleeps on the warm windowsill all afternoon',
  kitten: 'A small kitten sleeps on the windowsill in the sun',
  stocks: 'Stock markets fell sharply after the interest rate decision',
  rates: 'The central bank raised interest rates again this quarter',
  pasta: 'Boil the pasta in salted water for nine minutes',
};

beforeAll(async () => {
  memory = await startMemory();
  user = await memory.user();
  fold = (await user.call(CREATE_FOLD, { input: { name: 'facts' } })).data!.createFold.id;
  for (const [key, content] of Object.entries(FACTS)) {
    const inFold = key !== 'pasta';
    const { data } = await user.call(CREATE, {
      input: {
        content,
        metadata: { key, topic: key === 'stocks' || key === 'rates' ? 'finance' : 'home' },
        ...(inFold ? { foldId: fold } : {}),
      },
    });
    ids[key] = data!.createMemory.id;
  }
});
afterAll(() => memory.subgraph.close());

const SEARCH = `query($input: SearchMemoriesInput!) {
  searchMemories(input: $input) { score distance memory { id content } }
}`;
const keysOf = (hits: { memory: { id: string } }[]) =>
  hits.map((hit) => Object.entries(ids).find(([, id]) => id === hit.memory.id)![0]);

describe('searchMemories', () => {
  it('finds by meaning of a text, closest first, with score and distance', async () => {
    const { data, errors } = await user.call(SEARCH, {
      input: { text: 'a kitten sleeping on a windowsill', topK: 3 },
    });
    expect(errors).toBeUndefined();
    const hits = data!.searchMemories;
    expect(keysOf(hits).slice(0, 2).sort()).toEqual(['cat', 'kitten']);
    expect(hits[0].score).toBeGreaterThan(hits[2].score);
    expect(hits[0].score).toBeCloseTo(1 - hits[0].distance, 6);
  });

  it('filters by fold and by metadata, and honours minScore', async () => {
    const inFold = await user.call(SEARCH, {
      input: { text: 'boil pasta in water', topK: 5, filter: { foldId: fold } },
    });
    expect(keysOf(inFold.data!.searchMemories)).not.toContain('pasta');
    const finance = await user.call(SEARCH, {
      input: {
        text: 'cat',
        topK: 5,
        filter: { metadataEquals: [{ key: 'topic', value: 'finance' }] },
      },
    });
    expect(keysOf(finance.data!.searchMemories).sort()).toEqual(['rates', 'stocks']);
    const strict = await user.call(SEARCH, {
      input: { text: 'interest rates', topK: 5, minScore: 0.2 },
    });
    expect(strict.data!.searchMemories.every((hit: { score: number }) => hit.score >= 0.2)).toBe(
      true,
    );
    expect(keysOf(strict.data!.searchMemories)).toContain('rates');
    expect(keysOf(strict.data!.searchMemories)).not.toContain('pasta');
  });

  it('searches with each metric', async () => {
    const { data } = await user.call(SEARCH, { input: { text: FACTS.rates, topK: 1 } });
    expect(keysOf(data!.searchMemories)).toEqual(['rates']);
    for (const metric of ['COSINE', 'L2', 'INNER_PRODUCT']) {
      const result = await user.call(SEARCH, { input: { text: FACTS.stocks, topK: 2, metric } });
      expect(result.errors).toBeUndefined();
      expect(keysOf(result.data!.searchMemories)[0]).toBe('stocks');
    }
  });

  it('gives the neighbours of a memory, without the memory itself', async () => {
    const { data } = await user.call(
      'query($id: ID!) { memory(id: $id) { similar(topK: 2) { memory { id } score } } }',
      { id: ids.cat },
    );
    expect(keysOf(data!.memory.similar)).toEqual(['kitten', expect.any(String)]);
    expect(keysOf(data!.memory.similar)).not.toContain('cat');
  });

  it.each([
    ['topK over the cap', { text: 'x', topK: 1_001 }],
    ['topK of zero', { text: 'x', topK: 0 }],
    ['both text and vector', { text: 'x', vector: [1] }],
    ['neither text nor vector', { topK: 3 }],
    ['a vector of the wrong dimension', { vector: [1, 0, 0] }],
    ['a blank text', { text: '  ' }],
    ['a malformed metadata filter', { text: 'x', filter: { metadataContains: 'finance' } }],
    ['an empty metadata key', { text: 'x', filter: { metadataEquals: [{ key: '', value: 1 }] } }],
  ])('refuses %s with BAD_USER_INPUT', async (_case, input) => {
    expect(errorCodes(await user.call(SEARCH, { input }))).toEqual(['BAD_USER_INPUT']);
  });

  it('cannot be steered into SQL through a metadata key', async () => {
    const result = await user.call(SEARCH, {
      input: { text: 'cat', filter: { metadataEquals: [{ key: "topic' OR '1'='1", value: 'x' }] } },
    });
    expect(result.errors).toBeUndefined();
    expect(result.data!.searchMemories).toEqual([]);
  });

  it('answers the 50 similar fields of one request with one SQL statement', async () => {
    const aliases = Array.from(
      { length: 50 },
      (_, i) => `s${i}: similar(topK: ${(i % 5) + 1}) { score }`,
    ).join('\n');
    memory.statements.length = 0;
    const { errors, data } = await user.call(`query($id: ID!) { memory(id: $id) { ${aliases} } }`, {
      id: ids.cat,
    });
    expect(errors).toBeUndefined();
    expect(data!.memory.s4).toHaveLength(4);
    expect(memory.statements.filter((query) => query.includes('::vector('))).toHaveLength(1);
  });

  it('answers the searches of one level of a request, of any metric, with one SQL statement', async () => {
    const vector = JSON.stringify(Array(64).fill(0.125));
    memory.statements.length = 0;
    const { errors, data } = await user.call(`{
      a: searchMemories(input: { vector: ${vector}, topK: 3 }) { score }
      b: searchMemories(input: { vector: ${vector}, topK: 2, metric: L2 }) { score }
      c: searchMemories(input: { text: "interest rates", topK: 1, metric: INNER_PRODUCT }) { score }
    }`);
    expect(errors).toBeUndefined();
    expect([data!.a.length, data!.b.length, data!.c.length]).toEqual([3, 2, 1]);
    expect(memory.statements.filter((query) => query.includes('::vector('))).toHaveLength(1);
  });
});

describe('the search row budget of a request (MEMORY_MAX_SEARCH_ROWS)', () => {
  const NESTED = `{ searchMemories(input: { text: "sleeps", topK: 5 }) {
    memory { id similar(topK: 5) { memory { id } } }
  } }`;

  it('refuses the searches past it with QUERY_TOO_COMPLEX, before they run', async () => {
    // 5 for the search, then 5 x 5 for the neighbours: 30 in all, past a budget of 20.
    const small = await startMemory({ MEMORY_MAX_SEARCH_ROWS: '20' });
    try {
      const owner = await small.user();
      for (const content of Object.values(FACTS)) {
        await owner.call(CREATE, { input: { content } });
      }
      const before = small.statements.length;
      const refused = await owner.call(NESTED);
      // `similar` is a non-null list: its error nulls the search up to the root.
      expect(refused.data).toBeNull();
      expect(new Set(errorCodes(refused))).toEqual(new Set(['QUERY_TOO_COMPLEX']));
      expect(refused.errors![0]!.extensions).toMatchObject({
        limit: 'searchRows',
        max: 20,
        actual: 30,
      });
      expect(refused.errors![0]!.message).toContain('MEMORY_MAX_SEARCH_ROWS');
      // The search ran; the batch of neighbours was refused without a statement.
      expect(small.statements.length - before).toBe(1);
    } finally {
      await small.subgraph.close();
    }
  });

  it('lets a request within it through', async () => {
    const answered = await user.call(NESTED);
    expect(answered.errors).toBeUndefined();
    expect(answered.data!.searchMemories[0].memory.similar.length).toBeGreaterThan(0);
  });
});
