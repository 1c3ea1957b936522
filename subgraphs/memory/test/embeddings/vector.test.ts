import { createEmbedder, normalise, vectorProblem } from '../../src/embeddings/index.js';

describe('vectorProblem', () => {
  it('accepts a finite vector of the right size', () => {
    expect(vectorProblem([0.1, -2, 3], 3)).toBeUndefined();
  });

  it.each([
    [[1, 2, 3], 384, 'must have 384 numbers, got 3'],
    [[1, 2, 3, 4, 5, NaN], 6, 'holds NaN at index 5'],
    [[1, 2, Infinity], 3, 'holds an infinite value at index 2'],
    [[1, -Infinity], 2, 'holds an infinite value at index 1'],
    ['1,2,3', 3, 'must be a list of numbers'],
    [null, 3, 'must be a list of numbers'],
    [{ length: 3 }, 3, 'must be a list of numbers'],
    [[1, '2', 3], 3, 'must be a list of numbers, index 1 is not a number'],
    [[0, 0, 0], 3, 'must not be all zeros'],
  ])('describes %j (dimensions %i)', (vector, dimensions, message) => {
    expect(vectorProblem(vector, dimensions)).toBe(message);
  });
});

describe('normalise', () => {
  it('scales to unit length', () => {
    const [x, y] = normalise([3, 4]);
    expect(x).toBeCloseTo(0.6, 15);
    expect(y).toBeCloseTo(0.8, 15);
  });

  it('returns a zero vector as is', () => {
    const zero = [0, 0, 0];
    expect(normalise(zero)).toBe(zero);
  });
});

describe('createEmbedder', () => {
  it('makes the offline embedder', () => {
    expect(createEmbedder({ kind: 'offline', dimensions: 64 })).toMatchObject({
      kind: 'offline-hash',
      model: 'hash-ngrams-v1',
      dimensions: 64,
    });
  });

  it('makes the OpenAI-compatible embedder', async () => {
    const embedder = createEmbedder({
      kind: 'openai',
      dimensions: 1536,
      baseUrl: 'http://127.0.0.1:1/v1',
      model: 'text-embedding-3-small',
    });
    expect(embedder).toMatchObject({
      kind: 'openai',
      model: 'text-embedding-3-small',
      dimensions: 1536,
    });
    await embedder.close?.();
  });

  it('says which settings openai lacks', () => {
    expect(() => createEmbedder({ kind: 'openai', dimensions: 8 })).toThrow(
      'EMBEDDER=openai needs EMBEDDING_BASE_URL and EMBEDDING_MODEL to be set',
    );
    expect(() => createEmbedder({ kind: 'openai', dimensions: 8, baseUrl: 'http://x/v1' })).toThrow(
      'EMBEDDER=openai needs EMBEDDING_MODEL to be set',
    );
  });

  it('rejects an unknown kind', () => {
    expect(() => createEmbedder({ kind: 'word2vec' as never, dimensions: 8 })).toThrow(
      "unknown embedder kind 'word2vec'",
    );
  });
});
