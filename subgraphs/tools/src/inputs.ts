// Validation of the tools subgraph's inputs and arguments (limits in one place).
import { badInput } from '@supergraph/kit';
import { z } from 'zod';

export const READ_SCOPE = 'tools:read';
export const ADMIN_SCOPE = 'tools:admin';
export const TOOL_NAME = /^[a-z][a-z0-9_-]{0,63}$/;
export const MAX_DESCRIPTION = 2_000;
export const MAX_PAGE = 200;

export const registerToolInput = (maxSchemaBytes: number) =>
  z.object({
    name: z
      .string()
      .regex(TOOL_NAME, 'must be a lowercase letter, then up to 63 of a-z, 0-9, _ and -'),
    description: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(MAX_DESCRIPTION, `must be at most ${MAX_DESCRIPTION} characters`)
      // PostgreSQL text cannot hold U+0000: refuse it here rather than fail on write.
      .refine((value) => !value.includes('\u0000'), 'must not contain NUL characters'),
    // Input and output types alike (no transforms), as the kit's parseInput<T> expects.
    inputSchema: z
      .record(z.unknown(), { invalid_type_error: 'must be a JSON object' })
      .refine(
        (value) => Buffer.byteLength(JSON.stringify(value), 'utf8') <= maxSchemaBytes,
        `must be at most ${maxSchemaBytes} bytes of JSON`,
      )
      .refine(
        (value) => !JSON.stringify(value).includes('\\u0000'),
        'must not contain NUL characters',
      ),
    enabled: z.boolean().nullish(),
  });

/** The page size `first`, 1 to MAX_PAGE. */
export function pageSize(first: number | null | undefined, fallback = 50): number {
  const size = first ?? fallback;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE) {
    throw badInput(`first must be between 1 and ${MAX_PAGE}.`, 'first');
  }
  return size;
}
