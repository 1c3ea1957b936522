// Small text and vector helpers shared by context compression and topic discovery. Kept pure
// (no embedder, no database) so both modules stay deterministic and cheap to unit-test.

/** Embeds texts in one batch; vectors come back L2-normalised, so cosine is a dot product. */
export type EmbedFn = (texts: readonly string[]) => Promise<number[][]>;

const SENTENCE_LOCALE = 'en';
// Used only where Intl.Segmenter is missing (e.g. Node built without full ICU): a run of text
// up to and including its closing punctuation, or the tail of the text without one.
const FALLBACK_SENTENCE = /[^.!?\n]+(?:[.!?]+["')\]]*|\n|$)/g;

const segmenter: Intl.Segmenter | undefined =
  typeof Intl.Segmenter === 'function'
    ? new Intl.Segmenter(SENTENCE_LOCALE, { granularity: 'sentence' })
    : undefined;

/** Whitespace inside a sentence is collapsed so token counts and output do not depend on it. */
function tidy(sentence: string): string {
  return sentence.replace(/\s+/g, ' ').trim();
}

/** Splits text into non-empty sentences, each with its whitespace collapsed. */
export function splitSentences(text: string): string[] {
  const pieces = segmenter
    ? Array.from(segmenter.segment(text), (s) => s.segment)
    : (text.match(FALLBACK_SENTENCE) ?? []);
  return pieces.map(tidy).filter((s) => s.length > 0);
}

// A short English list: enough to keep glue words out of topic labels without a dependency.
export const STOP_WORDS: ReadonlySet<string> = new Set(
  `about above after again against all also and any are because been before being below between
both but can could did does doing down during each few for from further had has have having her
here hers herself him himself his how into its itself just more most not now off once only other
our ours ourselves out over own same she should some such than that the their theirs them
themselves then there these they this those through too under until very was were what when where
which while who whom why will with would you your yours yourself yourselves`.split(/\s+/),
);

export const MIN_TERM_LENGTH = 3;

/** Lower-cased word tokens (letters and digits in any script). */
export function wordTokens(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Word tokens worth naming a topic by: no stop words, nothing shorter than three characters. */
export function contentTerms(text: string): string[] {
  return wordTokens(text).filter((t) => t.length >= MIN_TERM_LENGTH && !STOP_WORDS.has(t));
}

/** The hot loop of both modules: bounds taken once so the indexing needs no fallbacks. */
export function dot(a: readonly number[], b: readonly number[]): number {
  const length = Math.min(a.length, b.length);
  let sum = 0;
  for (let i = 0; i < length; i++) sum += (a[i] as number) * (b[i] as number);
  return sum;
}

/** Returns a unit-length copy; a zero vector stays zero rather than becoming NaN. */
export function normalize(v: readonly number[]): number[] {
  const norm = Math.sqrt(dot(v, v));
  return norm === 0 ? v.map(() => 0) : v.map((x) => x / norm);
}

/** Element-wise sum, e.g. the direction of a centroid before normalising. */
export function sumVectors(vectors: readonly (readonly number[])[], dims: number): number[] {
  const sum = new Array<number>(dims).fill(0);
  for (const v of vectors) v.forEach((x, j) => (sum[j] = (sum[j] ?? 0) + x));
  return sum;
}

/** Index of the largest value; the first one wins a tie, which keeps callers deterministic. */
export function argMax(values: readonly number[]): number {
  let best = 0;
  values.forEach((v, i) => {
    if (v > (values[best] ?? -Infinity)) best = i;
  });
  return best;
}

/**
 * For each group of texts (a topic's members), its top terms by member frequency × inverse
 * group frequency: frequent here, rare elsewhere. Counting members rather than occurrences keeps
 * one long, repetitive memory from naming its group; the +1 keeps a lone group's terms from all
 * scoring zero.
 */
export function distinctiveTerms(clusterTexts: string[][], limit: number): string[][] {
  const counts = clusterTexts.map((texts) => {
    const tf = new Map<string, number>();
    for (const text of texts)
      for (const t of new Set(contentTerms(text))) tf.set(t, (tf.get(t) ?? 0) + 1);
    return tf;
  });
  const clusterFrequency = new Map<string, number>();
  for (const tf of counts)
    for (const t of tf.keys()) clusterFrequency.set(t, (clusterFrequency.get(t) ?? 0) + 1);
  const k = clusterTexts.length;
  return counts.map((tf) =>
    [...tf]
      .map(([term, f]) => ({
        term,
        score: f * Math.log(1 + k / (clusterFrequency.get(term) ?? 1)),
      }))
      .sort((a, b) => b.score - a.score || compareStrings(a.term, b.term))
      .slice(0, limit)
      .map((t) => t.term),
  );
}

/** Code-unit order: unlike localeCompare it cannot differ between machines. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** mulberry32: a tiny seeded PRNG, so the same seed gives the same result everywhere. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
