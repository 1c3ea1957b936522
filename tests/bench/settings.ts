// The benchmarks' knobs: each reads its settings from the environment through this one helper.

/** A whole number of at least 1 from the environment, or `fallback` when unset. */
export function count(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name} must be a whole number of at least 1, got ${process.env[name]}`);
  return value;
}
