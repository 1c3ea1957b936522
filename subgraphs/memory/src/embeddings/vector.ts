// Vector helpers shared by the embedders and by resolvers that accept client-supplied vectors.

/**
 * Unit length, so that cosine similarity is a plain dot product. A zero vector has no
 * direction and is returned as is rather than turned into NaNs.
 */
export function normalise(vector: number[]): number[] {
  let sum = 0;
  for (const value of vector) sum += value * value;
  if (sum === 0) return vector;
  const scale = 1 / Math.sqrt(sum);
  return vector.map((value) => value * scale);
}

/**
 * Why a client-supplied vector cannot be stored or searched with, as a message to show the
 * client, or undefined when it is fine.
 */
export function vectorProblem(vector: unknown, dimensions: number): string | undefined {
  if (!Array.isArray(vector)) return 'must be a list of numbers';
  if (vector.length !== dimensions) {
    return `must have ${dimensions} numbers, got ${vector.length}`;
  }
  let nonZero = false;
  for (let i = 0; i < vector.length; i++) {
    const value: unknown = vector[i];
    if (typeof value !== 'number') return `must be a list of numbers, index ${i} is not a number`;
    if (Number.isNaN(value)) return `holds NaN at index ${i}`;
    if (!Number.isFinite(value)) return `holds an infinite value at index ${i}`;
    if (value !== 0) nonZero = true;
  }
  // A zero vector has no direction: its cosine distance to anything is NaN in pgvector.
  if (!nonZero) return 'must not be all zeros';
  return undefined;
}
