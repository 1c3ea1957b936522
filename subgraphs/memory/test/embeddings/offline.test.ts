import {
  createOfflineEmbedder,
  embedText,
  hash32,
  tokenise,
} from '../../src/embeddings/offline.js';
import { cosine } from './helpers.js';

describe('offline hashing embedder', () => {
  const embedder = createOfflineEmbedder();
  const embedOne = async (text: string) => (await embedder.embed([text]))[0]!;

  it('names its kind, recipe version and default size', () => {
    expect(embedder).toMatchObject({
      kind: 'offline-hash',
      model: 'hash-ngrams-v1',
      dimensions: 384,
    });
  });

  it('is deterministic across instances', async () => {
    const text = 'Deterministic vectors survive a restart of the service.';
    const other = createOfflineEmbedder({ dimensions: 384 });
    expect((await other.embed([text]))[0]).toEqual(await embedOne(text));
  });

  it.each([64, 384, 1024])('gives unit vectors of length %i', async (dimensions) => {
    const [a, b] = await createOfflineEmbedder({ dimensions }).embed([
      'short',
      'a longer text '.repeat(50),
    ]);
    for (const vector of [a!, b!]) {
      expect(vector).toHaveLength(dimensions);
      expect(Math.hypot(...vector)).toBeCloseTo(1, 12);
      expect(vector.every(Number.isFinite)).toBe(true);
    }
  });

  it('embeds a batch in order', async () => {
    const texts = ['one', 'two', 'three'];
    const vectors = await embedder.embed(texts);
    expect(vectors).toEqual(await Promise.all(texts.map(embedOne)));
  });

  it('ranks a text sharing words above an unrelated one', async () => {
    const anchor = await embedOne('the cat sat on the mat');
    const near = await embedOne('a cat sat on a mat');
    const far = await embedOne('quarterly revenue grew by ten percent');
    expect(cosine(anchor, near)).toBeGreaterThan(cosine(anchor, far));
    expect(cosine(anchor, near)).toBeGreaterThan(0.5);
  });

  it.each([
    ['how do I reset my password', 'how can I reset the password', 'the train leaves at noon'],
    [
      'deploy the service to production',
      'production deploy of the service',
      'bake bread with rye flour',
    ],
    [
      'database connection pool exhausted',
      'connection pool of the database is exhausted',
      'the weather is sunny today',
    ],
    ['invoices are sent monthly', 'we send invoices every month', 'the goalkeeper saved a penalty'],
    ['memories fold into summaries', 'summaries fold many memories', 'paint the fence green'],
  ])(
    'a paraphrase with shared words beats unrelated text: %s',
    async (text, paraphrase, unrelated) => {
      const [a, p, u] = await embedder.embed([text, paraphrase, unrelated]);
      expect(cosine(a!, p!)).toBeGreaterThan(cosine(a!, u!));
    },
  );

  it('shares character trigrams between inflected forms', async () => {
    const deploy = await embedOne('deployment');
    expect(cosine(deploy, await embedOne('deployments'))).toBeGreaterThan(
      cosine(deploy, await embedOne('lunchtime')),
    );
  });

  it('ignores case and punctuation', async () => {
    expect(await embedOne('Hello, World!')).toEqual(await embedOne('hello world'));
  });

  it('tokenises Unicode words and folds composed and decomposed accents together', async () => {
    expect(tokenise('Café crème, 3 Äpfel — 東京!')).toEqual([
      'café',
      'crème',
      '3',
      'äpfel',
      '東京',
    ]);
    const composed = 'caf\u00e9 cr\u00e8me';
    const decomposed = 'cafe\u0301 cre\u0300me';
    expect(await embedOne(composed)).toEqual(await embedOne(decomposed));
    expect(cosine(await embedOne('café crème'), await embedOne('crème brûlée'))).toBeGreaterThan(
      cosine(await embedOne('café crème'), await embedOne('tax return')),
    );
  });

  it('embeds text without letters or digits by its pieces', async () => {
    const vector = await embedOne('🎉 !!!');
    expect(Math.hypot(...vector)).toBeCloseTo(1, 12);
    expect(vector).not.toEqual(await embedOne('??'));
  });

  it.each(['', '   ', '\n\t '])('throws a RangeError on blank text %j', async (text) => {
    await expect(embedder.embed(['fine', text])).rejects.toThrow(RangeError);
  });

  it('rejects invalid dimensions', () => {
    expect(() => createOfflineEmbedder({ dimensions: 0 })).toThrow(RangeError);
    expect(() => createOfflineEmbedder({ dimensions: 1.5 })).toThrow(RangeError);
  });

  it('honours an aborted signal', async () => {
    await expect(embedder.embed(['x'], AbortSignal.abort())).rejects.toMatchObject({
      name: 'AbortError',
    });
  });

  it('hashes stably and by seed', () => {
    // Pinned values: a change here changes every stored vector, so it needs a new model name.
    expect(hash32('cat', 0)).toBe(hash32('cat', 0));
    expect(hash32('cat', 1)).not.toBe(hash32('cat', 0));
    expect(hash32('cat', 0)).toBe(0xf01dce9c);
    expect(embedText('the cat sat', 8).map((v) => Math.round(v * 1e6))).toEqual([
      -378867, 0, 378867, 320739, 189434, 0, -757734, 0,
    ]);
  });
});
