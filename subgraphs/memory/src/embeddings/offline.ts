// The default embedder: signed feature hashing of word and character n-grams. Deterministic,
// no model download, no network; it captures lexical (not semantic) similarity, which is
// enough for deduplication and keyword-ish search when no embedding service is configured.
import type { Embedder } from './embedder.js';

/** Change the version whenever the feature recipe changes: stored vectors become incomparable. */
export const OFFLINE_MODEL = 'hash-ngrams-v1';
export const OFFLINE_KIND = 'offline-hash';

const WORD = /[\p{L}\p{N}]+/gu;
const WHITESPACE = /\s+/u;
const UNIGRAM_WEIGHT = 1;
const BIGRAM_WEIGHT = 0.5;
const TRIGRAM_WEIGHT = 0.5;
// Tokens hold only letters and digits, so these markers cannot occur inside a word.
const WORD_START = '<';
const WORD_END = '>';
// Each feature family gets its own seeds, so the unigram "cat" and the trigram "cat" are
// different features. The sign seeds make the sign hash independent of the bucket hash.
const SEEDS = {
  unigram: { bucket: 0x2545f491, sign: 0x6a09e667 },
  bigram: { bucket: 0x9e3779b9, sign: 0xbb67ae85 },
  trigram: { bucket: 0x85ebca6b, sign: 0x3c6ef372 },
} as const;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * FNV-1a over UTF-16 code units, seeded through the offset basis, finished with murmur3's
 * fmix32 so that every output bit (the bucket's low bits, the sign bit) depends on every
 * input character. Written here because it is six lines and the npm packages encode each
 * string to UTF-8 bytes first (murmurhash allocates a TextEncoder per call).
 */
export function hash32(text: string, seed: number): number {
  let h = (FNV_OFFSET ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  }
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Lower-cased words; NFKC first so that composed and decomposed accents ("café" typed either
 * way) and full-width forms give the same tokens. Text without any letter or digit (only
 * punctuation or emoji) falls back to its whitespace-separated pieces, so that any non-blank
 * text gets a vector.
 */
export function tokenise(text: string): string[] {
  const folded = text.normalize('NFKC').toLowerCase();
  const words = folded.match(WORD);
  if (words) return words;
  return folded.split(WHITESPACE).filter((piece) => piece.length > 0);
}

function count(counts: Map<string, number>, feature: string): void {
  counts.set(feature, (counts.get(feature) ?? 0) + 1);
}

/** Feature counts per family: word unigrams, word bigrams, boundary-padded char trigrams. */
function features(words: readonly string[]) {
  const unigrams = new Map<string, number>();
  const bigrams = new Map<string, number>();
  const trigrams = new Map<string, number>();
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    count(unigrams, word);
    if (i + 1 < words.length) count(bigrams, `${word} ${words[i + 1]}`);
    // Array.from splits by code point, so astral characters are not cut in half.
    const chars = Array.from(WORD_START + word + WORD_END);
    for (let j = 0; j + 3 <= chars.length; j++) {
      count(trigrams, chars[j]! + chars[j + 1]! + chars[j + 2]!);
    }
  }
  return { unigrams, bigrams, trigrams };
}

function addFamily(
  vector: Float64Array,
  counts: Map<string, number>,
  weight: number,
  seeds: { bucket: number; sign: number },
): void {
  for (const [feature, tf] of counts) {
    const bucket = hash32(feature, seeds.bucket) % vector.length;
    const sign = (hash32(feature, seeds.sign) & 1) === 0 ? 1 : -1;
    // Sub-linear term frequency: a word said ten times is not ten times as telling.
    vector[bucket]! += sign * weight * (1 + Math.log(tf));
  }
}

/** The L2-normalised hashed feature vector of one text; throws a RangeError on blank text. */
export function embedText(text: string, dimensions: number): number[] {
  const words = tokenise(text);
  if (words.length === 0) throw new RangeError('cannot embed a blank text');
  const { unigrams, bigrams, trigrams } = features(words);
  const vector = new Float64Array(dimensions);
  addFamily(vector, unigrams, UNIGRAM_WEIGHT, SEEDS.unigram);
  addFamily(vector, bigrams, BIGRAM_WEIGHT, SEEDS.bigram);
  addFamily(vector, trigrams, TRIGRAM_WEIGHT, SEEDS.trigram);
  let sum = 0;
  for (const value of vector) sum += value * value;
  // Signed buckets can cancel out exactly only in contrived cases; keep the vector usable.
  if (sum === 0) return Array.from(vector);
  const scale = 1 / Math.sqrt(sum);
  return Array.from(vector, (value) => value * scale);
}

export interface OfflineEmbedderOptions {
  dimensions?: number;
}

export function createOfflineEmbedder({ dimensions = 384 }: OfflineEmbedderOptions = {}): Embedder {
  if (!Number.isInteger(dimensions) || dimensions < 1) {
    throw new RangeError(`dimensions must be a positive integer, got ${dimensions}`);
  }
  return {
    kind: OFFLINE_KIND,
    model: OFFLINE_MODEL,
    dimensions,
    // Synchronous work in a promise: ~0.2 ms per KB of text, too little to need a worker.
    async embed(texts, signal) {
      signal?.throwIfAborted();
      return texts.map((text) => embedText(text, dimensions));
    },
  };
}
