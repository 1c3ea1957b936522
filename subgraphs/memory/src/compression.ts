// Extractive context compression: keeps the sentences that best represent a set of memories
// within a token budget, so a caller can hand an LLM a smaller prompt without rewriting text.
import { dot, splitSentences, sumVectors, type EmbedFn } from './text.js';

export type { EmbedFn } from './text.js';

export interface CompressionItem {
  id?: string;
  text: string;
  at?: Date;
}

export interface CompressContextInput {
  items: readonly CompressionItem[];
  tokenBudget: number;
  embed: EmbedFn;
  /** 0..1: how much newer items are favoured over central ones. */
  recencyWeight?: number;
}

/** One sentence of the input; itemIndex/itemId let a resolver expand it back to its memory. */
export interface SentenceRef {
  itemIndex: number;
  itemId?: string;
  sentenceIndex: number;
  text: string;
  tokens: number;
  score: number;
}

export interface CompressedContext {
  text: string;
  tokenCount: number;
  tokenBudget: number;
  originalTokenCount: number;
  kept: SentenceRef[];
  dropped: SentenceRef[];
  /** tokenCount / originalTokenCount; 1 when nothing had to go. */
  ratio: number;
}

export const DEFAULT_RECENCY_WEIGHT = 0.3;
/** Above this cosine a sentence says nothing a kept one does not already say. */
export const DUPLICATE_SIMILARITY = 0.95;
const CHARS_PER_TOKEN = 4;
const SENTENCE_SEPARATOR = ' ';
const ITEM_SEPARATOR = '\n';

/**
 * Approximates the token count of BPE tokenizers (GPT/Claude style average about four
 * characters of English per token). It is additive over characters, so the count of a joined
 * text can be computed from its parts' lengths, which the greedy packing below relies on.
 */
export function countTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

interface Scored extends SentenceRef {
  vector: number[];
}

/**
 * Keeps the highest-scoring sentences that fit `tokenBudget` and returns them in their original
 * order. Score = (1 - w) * centrality + w * recency, both scaled to 0..1. A sentence longer than
 * the whole budget is dropped, never cut mid-sentence, so the result may be shorter than the
 * budget allows (or empty). Counts are over the normalised text (sentences joined by a space,
 * items by a newline), so when everything fits the result is that text with ratio exactly 1.
 */
export async function compressContext({
  items,
  tokenBudget,
  embed,
  recencyWeight = DEFAULT_RECENCY_WEIGHT,
}: CompressContextInput): Promise<CompressedContext> {
  if (!Number.isInteger(tokenBudget) || tokenBudget < 1) {
    throw new RangeError(`tokenBudget must be a positive integer, got ${tokenBudget}`);
  }
  if (items.length === 0) throw new RangeError('items must not be empty');
  if (!(recencyWeight >= 0 && recencyWeight <= 1)) {
    throw new RangeError(`recencyWeight must be between 0 and 1, got ${recencyWeight}`);
  }

  const recency = itemRecency(items);
  const sentences: Omit<Scored, 'vector' | 'score'>[] = items.flatMap((item, itemIndex) =>
    splitSentences(item.text).map((text, sentenceIndex) => ({
      itemIndex,
      ...(item.id === undefined ? {} : { itemId: item.id }),
      sentenceIndex,
      text,
      tokens: countTokens(text),
    })),
  );
  const all = assemble(sentences);
  const originalTokenCount = countTokens(all);

  const vectors = sentences.length > 0 ? await embed(sentences.map((s) => s.text)) : [];
  if (vectors.length !== sentences.length) {
    throw new Error(`embed returned ${vectors.length} vectors for ${sentences.length} sentences`);
  }
  const central = centrality(vectors);
  const scored: Scored[] = sentences.map((s, i) => ({
    ...s,
    score: (1 - recencyWeight) * (central[i] ?? 0) + recencyWeight * (recency[s.itemIndex] ?? 0),
    vector: vectors[i] ?? [],
  }));

  if (originalTokenCount <= tokenBudget) {
    return {
      text: all,
      tokenCount: originalTokenCount,
      tokenBudget,
      originalTokenCount,
      kept: scored.map(toRef),
      dropped: [],
      ratio: 1,
    };
  }

  // Best first; equal scores fall back to original position so the choice is reproducible.
  const byScore = scored
    .map((s, position) => ({ s, position }))
    .sort((a, b) => b.s.score - a.s.score || a.position - b.position);
  const keptPositions = new Set<number>();
  const keptVectors: number[][] = [];
  let keptChars = 0;
  for (const { s, position } of byScore) {
    if (keptVectors.some((v) => dot(v, s.vector) > DUPLICATE_SIMILARITY)) continue;
    // Every kept sentence after the first adds one separator character (space or newline).
    const chars = keptChars + s.text.length + (keptPositions.size > 0 ? 1 : 0);
    if (Math.ceil(chars / CHARS_PER_TOKEN) > tokenBudget) continue;
    keptPositions.add(position);
    keptVectors.push(s.vector);
    keptChars = chars;
  }

  const kept = scored.filter((_, i) => keptPositions.has(i));
  const text = assemble(kept);
  const tokenCount = countTokens(text);
  return {
    text,
    tokenCount,
    tokenBudget,
    originalTokenCount,
    kept: kept.map(toRef),
    dropped: scored.filter((_, i) => !keptPositions.has(i)).map(toRef),
    ratio: tokenCount / originalTokenCount,
  };
}

function toRef({ vector: _vector, ...ref }: Scored): SentenceRef {
  return ref;
}

/** Sentences of one item joined by a space, items by a newline; input must be in order. */
function assemble(sentences: readonly Pick<SentenceRef, 'itemIndex' | 'text'>[]): string {
  let out = '';
  sentences.forEach((s, i) => {
    if (i > 0) {
      out += s.itemIndex === sentences[i - 1]?.itemIndex ? SENTENCE_SEPARATOR : ITEM_SEPARATOR;
    }
    out += s.text;
  });
  return out;
}

/**
 * Mean cosine to every other sentence, min-max scaled to 0..1: raw means of real embeddings
 * sit in a narrow band, which would let even a small recency weight swamp them.
 */
function centrality(vectors: readonly number[][]): number[] {
  const n = vectors.length;
  if (n < 2) return vectors.map(() => 1);
  // Sum of all vectors once, so each mean is O(d) instead of O(n * d).
  const sum = sumVectors(vectors, vectors[0]?.length ?? 0);
  const means = vectors.map((v) => (dot(v, sum) - dot(v, v)) / (n - 1));
  return scaleToUnit(means);
}

/**
 * 0 for the oldest item, 1 for the newest. Uses `at` only when every item has one; with some
 * missing, times and positions cannot be compared, so position (later = newer) is used.
 */
function itemRecency(items: readonly CompressionItem[]): number[] {
  const times = items.map((item) => item.at?.getTime());
  const allTimed = times.every((t): t is number => t !== undefined && Number.isFinite(t));
  return scaleToUnit(allTimed ? (times as number[]) : items.map((_, i) => i));
}

function scaleToUnit(values: readonly number[]): number[] {
  // A loop rather than Math.min(...values): spreading thousands of sentences can overflow the stack.
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  // All equal: nothing to tell apart, so every value counts as the best.
  return values.map((v) => (max === min ? 1 : (v - min) / (max - min)));
}
