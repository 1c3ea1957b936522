import { compressContext, countTokens, type EmbedFn } from '../src/compression.js';
import { normalize, wordTokens } from '../src/text.js';

// Deterministic stand-in for the embedder: bag of words hashed (FNV-1a) into 64 dims.
const DIMS = 64;
function hashEmbed(text: string): number[] {
  const v = new Array<number>(DIMS).fill(0);
  for (const word of wordTokens(text)) {
    let h = 0x811c9dc5;
    for (const ch of word) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    v[h % DIMS] = (v[h % DIMS] ?? 0) + 1;
  }
  return normalize(v);
}
const embed: EmbedFn = async (texts) => texts.map(hashEmbed);

const DATABASE = [
  'Databases store rows in tables and use an index to find rows quickly.',
  'A database index on a column speeds up queries that filter rows by that column.',
  'Queries against large database tables need an index or they scan every row.',
  'The database planner picks an index when a query filters rows on an indexed column.',
  'Without an index the database reads every row of the table for each query.',
];
const OFF_TOPIC = 'My grandmother knits warm woollen socks for winter holidays.';

describe('compressContext', () => {
  it('stays within budget for several budgets and reports honest counts', async () => {
    const items = [{ text: DATABASE.join(' ') }, { text: OFF_TOPIC }];
    for (const tokenBudget of [1, 10, 25, 40, 60, 80]) {
      const result = await compressContext({ items, tokenBudget, embed });
      expect(result.tokenCount).toBeLessThanOrEqual(tokenBudget);
      expect(result.tokenCount).toBe(countTokens(result.text));
      expect(result.tokenBudget).toBe(tokenBudget);
      expect(result.kept.length + result.dropped.length).toBe(6);
      expect(result.ratio).toBeCloseTo(result.tokenCount / result.originalTokenCount);
    }
  });

  it('keeps sentences in their original order, items on separate lines', async () => {
    const items = [
      { id: 'a', text: `${DATABASE[0]} ${DATABASE[1]}` },
      { id: 'b', text: `${OFF_TOPIC} ${DATABASE[2]}` },
      { id: 'c', text: `${DATABASE[3]} ${DATABASE[4]}` },
    ];
    const result = await compressContext({ items, tokenBudget: 70, embed });
    expect(result.dropped.length).toBeGreaterThan(0);
    const order = result.kept.map((s) => [s.itemIndex, s.sentenceIndex]);
    expect(order).toEqual([...order].sort((x, y) => x[0]! - y[0]! || x[1]! - y[1]!));
    const lines = result.text.split('\n');
    expect(lines).toHaveLength(new Set(result.kept.map((s) => s.itemIndex)).size);
    expect(lines.join(' ')).toBe(result.kept.map((s) => s.text).join(' '));
    expect(result.kept.every((s) => s.itemId === items[s.itemIndex]!.id)).toBe(true);
  });

  it('prefers central sentences over an off-topic one', async () => {
    const text = [...DATABASE.slice(0, 2), OFF_TOPIC, ...DATABASE.slice(2)].join(' ');
    const threeSentences = countTokens(DATABASE.slice(0, 3).join(' '));
    const result = await compressContext({ items: [{ text }], tokenBudget: threeSentences, embed });
    expect(result.kept.length).toBeGreaterThanOrEqual(2);
    expect(result.kept.map((s) => s.text)).not.toContain(OFF_TOPIC);
    expect(result.dropped.map((s) => s.text)).toContain(OFF_TOPIC);
  });

  it('with recency weight 1 keeps the newest item, by date when given, else by position', async () => {
    const texts = [
      'Alpha notes about the launch.',
      'Bravo notes about the budget.',
      'Charlie notes on hiring.',
    ];
    const oneItem = countTokens(texts[0]!);
    const byPosition = await compressContext({
      items: texts.map((text) => ({ text })),
      tokenBudget: oneItem,
      embed,
      recencyWeight: 1,
    });
    expect(byPosition.kept.map((s) => s.itemIndex)).toEqual([2]);

    const dates = ['2024-03-01', '2024-01-01', '2024-02-01'].map((d) => new Date(d));
    const byDate = await compressContext({
      items: texts.map((text, i) => ({ text, at: dates[i] })),
      tokenBudget: oneItem,
      embed,
      recencyWeight: 1,
    });
    expect(byDate.kept.map((s) => s.text)).toEqual([texts[0]]);
  });

  it('drops near-duplicates of a kept sentence', async () => {
    const items = [
      { id: 'm1', text: `${DATABASE[0]} ${DATABASE[1]}` },
      { id: 'm2', text: `${DATABASE[0]} ${DATABASE[2]}` },
    ];
    const all = `${DATABASE[0]} ${DATABASE[1]}\n${DATABASE[0]} ${DATABASE[2]}`;
    // Room for everything except one copy: only redundancy, not the budget, decides.
    const result = await compressContext({ items, tokenBudget: countTokens(all) - 1, embed });
    expect(result.kept.filter((s) => s.text === DATABASE[0])).toHaveLength(1);
    expect(result.kept.map((s) => s.text)).toEqual(
      expect.arrayContaining([DATABASE[1], DATABASE[2]]),
    );
    expect(result.dropped.map((s) => s.text)).toEqual([DATABASE[0]]);
  });

  it('returns everything unchanged with ratio 1 when it fits', async () => {
    const items = [{ text: DATABASE.slice(0, 2).join(' ') }, { text: OFF_TOPIC }];
    const result = await compressContext({ items, tokenBudget: 10_000, embed });
    expect(result.text).toBe(items.map((i) => i.text).join('\n'));
    expect(result.ratio).toBe(1);
    expect(result.dropped).toEqual([]);
    expect(result.tokenCount).toBe(result.originalTokenCount);
  });

  it('drops a sentence larger than the budget instead of cutting it', async () => {
    const long = `${'Replication keeps copies of every table on several servers '.repeat(4).trim()}.`;
    const result = await compressContext({
      items: [{ text: `${long} Short one.` }],
      tokenBudget: 5,
      embed,
    });
    expect(result.text).toBe('Short one.');
    expect(result.dropped.map((s) => s.text)).toEqual([long]);
  });

  it('embeds all sentences in one call', async () => {
    const calls: number[] = [];
    const counting: EmbedFn = async (texts) => (calls.push(texts.length), embed(texts));
    await compressContext({
      items: [{ text: DATABASE.join(' ') }, { text: OFF_TOPIC }],
      tokenBudget: 30,
      embed: counting,
    });
    expect(calls).toEqual([6]);
  });

  it('rejects bad budgets, weights and empty input', async () => {
    const items = [{ text: OFF_TOPIC }];
    for (const tokenBudget of [0, -5, 2.5, Number.NaN, Infinity]) {
      await expect(compressContext({ items, tokenBudget, embed })).rejects.toThrow(RangeError);
    }
    await expect(
      compressContext({ items, tokenBudget: 10, embed, recencyWeight: 1.5 }),
    ).rejects.toThrow(/recencyWeight/);
    await expect(compressContext({ items: [], tokenBudget: 10, embed })).rejects.toThrow(
      RangeError,
    );
  });
});
