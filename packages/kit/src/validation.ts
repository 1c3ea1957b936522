// Input validation with zod that fails as a GraphQL BAD_USER_INPUT naming the field.
import type { z } from 'zod';
import { badInput } from './errors.js';

export function parseInput<S extends z.ZodTypeAny>(
  schema: S,
  input: unknown,
  prefix = 'input',
): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data as z.output<S>;
  const issue = parsed.error.issues[0]!;
  const field = [prefix, ...issue.path].join('.');
  throw badInput(`${field} ${issue.message}.`, field);
}
