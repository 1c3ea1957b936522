// Topic discovery over memory embeddings: seeded spherical k-means plus distinctive-term labels.
// Hand-written: skmeans cannot be seeded (Math.random) and ml-kmeans averages in Euclidean
// space without normalised centroids; neither is worth a dependency for ~100 lines of arithmetic.
import {
  argMax,
  compareStrings,
  distinctiveTerms,
  dot,
  mulberry32,
  normalize,
  sumVectors,
} from './text.js';

export interface TopicItem {
  id: string;
  text: string;
  vector: number[];
}

export interface FindTopicsInput {
  items: readonly TopicItem[];
  /** Number of topics; chosen by silhouette score when omitted. */
  k?: number;
  maxK?: number;
  seed?: number;
  labelTerms?: number;
}

export interface Topic {
  /** 'topic-N', N its rank by size (then label), so the same input gives the same ids. */
  id: string;
  label: string;
  terms: string[];
  size: number;
  memberIds: string[];
  centroid: number[];
}

export const DEFAULT_MAX_K = 8;
export const DEFAULT_SEED = 42;
export const DEFAULT_LABEL_TERMS = 3;
const MAX_ITERATIONS = 100;
/** Independent starts per k, the tightest kept (scikit-learn long used 10): one bad start is common. */
const RESTARTS = 8;
/** Below this best silhouette the data has no real cluster structure, so one topic is honest. */
const MIN_SILHOUETTE = 0.1;
/** Silhouette is O(n^2 d); past this many points it is estimated on an evenly spaced sample. */
const SILHOUETTE_SAMPLE = 500;
/** Caps the sample's distance table (Float32, so 8 MB) when n is very large. */
const MAX_DISTANCE_ENTRIES = 2_000_000;
const MIN_POINTS_TO_SPLIT = 4;
const EMPTY_LABEL = 'untitled';

/**
 * Groups items by embedding and names each group; deterministic for a given seed. Cost grows
 * with n · k · d per iteration: about 1.5 s for 1,000 items of 384 dims with k chosen, so large
 * folds are better clustered off the request path.
 */
export function findTopics({
  items,
  k,
  maxK = DEFAULT_MAX_K,
  seed = DEFAULT_SEED,
  labelTerms = DEFAULT_LABEL_TERMS,
}: FindTopicsInput): Topic[] {
  const n = items.length;
  if (n === 0) return [];
  if (k !== undefined) requireInteger('k', k, 1, n);
  requireInteger('maxK', maxK, 1);
  requireInteger('labelTerms', labelTerms, 0);
  const dims = items[0]?.vector.length ?? 0;
  if (items.some((item) => item.vector.length !== dims)) {
    throw new RangeError(`all vectors must have the same length (${dims})`);
  }

  const points = items.map((item) => normalize(item.vector));
  const random = mulberry32(seed);
  const result = k === undefined ? chooseK(points, maxK, random) : kMeans(points, k, random);

  // A cluster can only end up empty when points coincide (fewer distinct points than k);
  // a topic with no members says nothing, so it is left out.
  const clusters = result.centroids
    .map((centroid, c) => ({
      centroid,
      members: items.filter((_, i) => result.assignment[i] === c),
    }))
    .filter((cl) => cl.members.length > 0);
  const terms = distinctiveTerms(
    clusters.map((cl) => cl.members.map((m) => m.text)),
    labelTerms,
  );
  return clusters
    .map((cl, c) => ({
      label: terms[c]?.join(', ') || EMPTY_LABEL,
      terms: terms[c] ?? [],
      size: cl.members.length,
      memberIds: cl.members.map((m) => m.id),
      centroid: cl.centroid,
    }))
    .sort(
      (a, b) =>
        b.size - a.size ||
        compareStrings(a.label, b.label) ||
        compareStrings(a.memberIds[0] ?? '', b.memberIds[0] ?? ''),
    )
    .map((topic, index) => ({ id: `topic-${index}`, ...topic }));
}

/** The topic whose centroid is nearest (highest cosine); undefined when there are none. */
export function assignTopic(
  vector: readonly number[],
  topics: readonly Topic[],
): Topic | undefined {
  const v = normalize(vector);
  const other = topics.find((t) => t.centroid.length !== v.length);
  if (other) {
    throw new RangeError(`vector has ${v.length} dimensions, centroids ${other.centroid.length}`);
  }
  return topics[argMax(topics.map((t) => dot(v, t.centroid)))];
}

interface Clustering {
  assignment: number[];
  centroids: number[][];
  /** Sum of member-to-centroid cosines: higher is tighter. */
  cohesion: number;
}

function chooseK(points: number[][], maxK: number, random: () => number): Clustering {
  const n = points.length;
  const single = kMeans(points, 1, random);
  if (n < MIN_POINTS_TO_SPLIT) return single;
  const upper = Math.min(maxK, Math.floor(Math.sqrt(n / 2)) + 1, n);
  const sample = sampleDistances(points);
  let best = single;
  let bestScore = MIN_SILHOUETTE;
  for (let k = 2; k <= upper; k++) {
    const candidate = kMeans(points, k, random);
    const score = silhouette(candidate.assignment, k, sample);
    // Strictly greater: on a tie the smaller k (found first) is the simpler explanation.
    if (score > bestScore) [best, bestScore] = [candidate, score];
  }
  return best;
}

function kMeans(points: number[][], k: number, random: () => number): Clustering {
  let best: Clustering | undefined;
  for (let r = 0; r < (k === 1 ? 1 : RESTARTS); r++) {
    const run = lloyd(points, seedCentroids(points, k, random));
    if (!best || run.cohesion > best.cohesion) best = run;
  }
  return best as Clustering;
}

/**
 * Greedy k-means++ (as scikit-learn does it): each next seed is the best of a few candidates
 * drawn with probability proportional to squared distance. Plain k-means++ too often puts two
 * seeds in one group when texts are sparse, and Lloyd's iterations cannot undo that.
 */
function seedCentroids(points: number[][], k: number, random: () => number): number[][] {
  const first = Math.floor(random() * points.length);
  const chosen = [first];
  let nearest = points.map((p) => cosineDistance(p, points[first] ?? []));
  const trials = 2 + Math.floor(Math.log(k));
  while (chosen.length < k) {
    let best: { index: number; nearest: number[]; potential: number } | undefined;
    for (let t = 0; t < trials; t++) {
      const index =
        sampleBySquare(nearest, random) ?? points.findIndex((_, i) => !chosen.includes(i));
      const candidate = nearest.map((d, i) =>
        Math.min(d, cosineDistance(points[i] ?? [], points[index] ?? [])),
      );
      const potential = candidate.reduce((sum, d) => sum + d * d, 0);
      if (!best || potential < best.potential) best = { index, nearest: candidate, potential };
    }
    chosen.push(best?.index ?? 0);
    nearest = best?.nearest ?? nearest;
  }
  return chosen.map((i) => [...(points[i] ?? [])]);
}

/** An index drawn with probability ∝ distance²; undefined when only duplicates are left. */
function sampleBySquare(distances: number[], random: () => number): number | undefined {
  const total = distances.reduce((sum, d) => sum + d * d, 0);
  if (total === 0) return undefined;
  let target = random() * total;
  const index = distances.findIndex((d) => d > 0 && (target -= d * d) <= 0);
  // Float rounding can leave target a hair above zero: fall back to the last candidate.
  return index >= 0 ? index : distances.findLastIndex((d) => d > 0);
}

function lloyd(points: number[][], initial: number[][]): Clustering {
  let centroids = initial;
  let assignment: number[] = [];
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    const next = points.map((p) => nearestCentroid(p, centroids));
    const changed = next.some((c, i) => c !== assignment[i]);
    assignment = next;
    if (!changed) break;
    centroids = centroids.map((old, c) => {
      const members = points.filter((_, i) => assignment[i] === c);
      // An emptied cluster is restarted on the point its old centroid fits worst, so k holds.
      if (members.length === 0)
        return [...(points[argMax(points.map((p) => -dot(p, old)))] ?? old)];
      return normalize(sumVectors(members, old.length));
    });
  }
  const cohesion = points.reduce((s, p, i) => s + dot(p, centroids[assignment[i] ?? 0] ?? []), 0);
  return { assignment, centroids, cohesion };
}

function nearestCentroid(point: number[], centroids: number[][]): number {
  return argMax(centroids.map((c) => dot(point, c)));
}

function cosineDistance(a: number[], b: number[]): number {
  return Math.max(0, 1 - dot(a, b));
}

interface DistanceSample {
  /** Indices of the sampled points. */
  rows: number[];
  /** distances[r][j]: cosine distance from point rows[r] to point j. */
  distances: Float32Array[];
}

/** Computed once and shared by every candidate k: this is the O(sample · n · d) part. */
function sampleDistances(points: number[][]): DistanceSample {
  const n = points.length;
  const size = Math.max(1, Math.min(n, SILHOUETTE_SAMPLE, Math.floor(MAX_DISTANCE_ENTRIES / n)));
  const rows = Array.from({ length: size }, (_, r) => Math.floor((r * n) / size));
  const distances = rows.map((i) =>
    Float32Array.from(points, (p) => cosineDistance(points[i] ?? [], p)),
  );
  return { rows, distances };
}

/** Mean silhouette with cosine distance; a point alone in its cluster scores 0 (Rousseeuw). */
function silhouette(assignment: number[], k: number, { rows, distances }: DistanceSample): number {
  const sizes = new Array<number>(k).fill(0);
  for (const c of assignment) sizes[c] = (sizes[c] ?? 0) + 1;
  let total = 0;
  rows.forEach((i, r) => {
    const own = assignment[i] ?? 0;
    if ((sizes[own] ?? 0) <= 1) return;
    const sums = new Array<number>(k).fill(0);
    distances[r]?.forEach((d, j) => {
      const c = assignment[j] ?? 0;
      if (j !== i) sums[c] = (sums[c] ?? 0) + d;
    });
    const a = (sums[own] ?? 0) / ((sizes[own] ?? 0) - 1);
    let b = Infinity;
    sums.forEach((sum, c) => {
      if (c !== own && (sizes[c] ?? 0) > 0) b = Math.min(b, sum / (sizes[c] ?? 1));
    });
    if (b !== Infinity) total += (b - a) / Math.max(a, b) || 0;
  });
  return total / rows.length;
}

function requireInteger(name: string, value: number, min: number, max = Infinity): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Infinity ? `at least ${min}` : `between ${min} and ${max}`;
    throw new RangeError(`${name} must be an integer ${range}, got ${value}`);
  }
}
