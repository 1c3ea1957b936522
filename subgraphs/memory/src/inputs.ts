// Validation of the memory subgraph's inputs: everything is checked before anything is
// written, and each refusal names its field (BAD_USER_INPUT) or the missing object (NOT_FOUND).
import { badInput, isUuid, notFound } from '@supergraph/kit';
import { z } from 'zod';
import { vectorProblem } from './embeddings/index.js';
import type { MemoryContext } from './context.js';

const MAX_METADATA_BYTES = 65_536;
const MAX_METADATA_KEY = 200;

export const jsonObject = (field: string, value: unknown): Record<string, unknown> => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badInput(`${field} must be a JSON object.`, field);
  }
  if (JSON.stringify(value).length > MAX_METADATA_BYTES) {
    throw badInput(`${field} must be at most ${MAX_METADATA_BYTES} bytes of JSON.`, field);
  }
  return value as Record<string, unknown>;
};

export function content(context: MemoryContext, field: string, value: string): string {
  if (value.trim().length === 0) throw badInput(`${field} must not be blank.`, field);
  if (value.length > context.limits.maxContentLength) {
    throw badInput(
      `${field} must be at most ${context.limits.maxContentLength} characters.`,
      field,
    );
  }
  if (value.includes('\u0000')) throw badInput(`${field} must not hold NUL characters.`, field);
  return value;
}

/** A reference that is not a uuid cannot exist. */
export function reference(what: string, field: string, id: string | null | undefined) {
  if (id == null) return null;
  if (!isUuid(id)) throw notFound(what, id, field);
  return id;
}

export function vector(context: MemoryContext, field: string, value: unknown): number[] {
  const problem = vectorProblem(value, context.embedder.dimensions);
  if (problem) throw badInput(`${field} ${problem}.`, field);
  return value as number[];
}

export function futureDate(field: string, value: Date | string | null | undefined) {
  if (value == null) return null;
  const date = new Date(value);
  if (date.getTime() <= Date.now()) throw badInput(`${field} must be in the future.`, field);
  return date;
}

export function count(field: string, value: number, max: number, min = 1): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw badInput(`${field} must be an integer from ${min} to ${max}.`, field);
  }
  return value;
}

export interface FilterInput {
  foldId?: string | null;
  metadataContains?: unknown;
  metadataEquals?: readonly { key: string; value: unknown }[] | null;
}

/** One containment object from both metadata filters, sent as a parameter (never as SQL). */
export function filter(field: string, input: FilterInput | null | undefined) {
  const contains: Record<string, unknown> = input?.metadataContains
    ? { ...jsonObject(`${field}.metadataContains`, input.metadataContains) }
    : {};
  for (const [i, { key, value }] of (input?.metadataEquals ?? []).entries()) {
    if (key.length === 0 || key.length > MAX_METADATA_KEY) {
      throw badInput(
        `${field}.metadataEquals.${i}.key must have 1 to ${MAX_METADATA_KEY} characters.`,
        `${field}.metadataEquals.${i}.key`,
      );
    }
    contains[key] = value;
  }
  return {
    foldId: reference('Fold', `${field}.foldId`, input?.foldId),
    metadataContains: Object.keys(contains).length > 0 ? contains : null,
  };
}

const cursorShape = z.tuple([z.string().datetime(), z.string().uuid()]);

export const encodeCursor = (at: Date, id: string) =>
  Buffer.from(JSON.stringify([at.toISOString(), id])).toString('base64url');

export function decodeCursor(field: string, cursor: string | null | undefined) {
  if (!cursor) return undefined;
  try {
    const [at, id] = cursorShape.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString()));
    return { at: new Date(at), id };
  } catch {
    throw badInput(`${field} is not a cursor this API gave out.`, field);
  }
}
