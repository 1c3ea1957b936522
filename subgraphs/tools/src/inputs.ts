// Validation of the tools subgraph's inputs and arguments (limits in one place).
import { badInput } from '@supergraph/kit';
import { z } from 'zod';
import { schemaProblem } from './registry/json-schema.js';

export const READ_SCOPE = 'tools:read';
export const EXECUTE_SCOPE = 'tools:execute';
export const ADMIN_SCOPE = 'tools:admin';
export const TOOL_NAME = /^[a-z][a-z0-9_-]{0,63}$/;
export const MAX_TITLE = 200;
export const MAX_DESCRIPTION = 2_000;
export const MAX_TAGS = 20;
export const MAX_TAG = 40;
export const MAX_VERSION = 40;
export const MAX_CODE_BYTES = 256 * 1024;
export const MAX_IDEMPOTENCY_KEY = 200;
export const MIN_TIMEOUT_MS = 100;
export const MAX_PAGE = 200;

// PostgreSQL text cannot hold U+0000: refuse it here rather than fail on write.
const noNul = (value: string) => !value.includes('\u0000');
const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine(noNul, 'must not contain NUL characters');

export const toolName = z
  .string()
  .regex(TOOL_NAME, 'must be a lowercase letter, then up to 63 of a-z, 0-9, _ and -');

const jsonSchema = (maxBytes: number) =>
  z
    .record(z.unknown(), { invalid_type_error: 'must be a JSON object' })
    .refine(
      (value) => Buffer.byteLength(JSON.stringify(value), 'utf8') <= maxBytes,
      `must be at most ${maxBytes} bytes of JSON`,
    )
    .refine(
      (value) => !JSON.stringify(value).includes('\\u0000'),
      'must not contain NUL characters',
    )
    .superRefine((value, context) => {
      const problem = schemaProblem(value);
      if (problem) context.addIssue({ code: z.ZodIssueCode.custom, message: problem });
    });

const annotations = z.object({
  readOnlyHint: z.boolean().nullish(),
  destructiveHint: z.boolean().nullish(),
  idempotentHint: z.boolean().nullish(),
  openWorldHint: z.boolean().nullish(),
});

const tags = z
  .array(text(MAX_TAG))
  .max(MAX_TAGS, `must be at most ${MAX_TAGS} tags`)
  .refine((list) => new Set(list).size === list.length, 'must not repeat a tag');

const stringRecord = z.record(z.string().refine(noNul, 'must not contain NUL characters'), {
  invalid_type_error: 'must be a JSON object of strings',
});

const http = z.object({
  url: z.string().max(2_048, 'must be at most 2,048 characters'),
  method: z.enum(['POST', 'PUT', 'GET']).nullish(),
  headers: stringRecord.nullish(),
});

const code = z
  .string()
  .min(1, 'must not be empty')
  .refine(
    (value) => Buffer.byteLength(value, 'utf8') <= MAX_CODE_BYTES,
    `must be at most ${MAX_CODE_BYTES} bytes`,
  )
  .refine(noNul, 'must not contain NUL characters');

const timeout = (maxMs: number) =>
  z
    .number()
    .int()
    .min(MIN_TIMEOUT_MS, `must be at least ${MIN_TIMEOUT_MS}`)
    .max(maxMs, `must be at most ${maxMs} (TOOL_MAX_TIMEOUT_MS)`);

export interface RegistryLimits {
  maxSchemaBytes: number;
  maxTimeoutMs: number;
}

// Input and output types alike (no transforms), as the kit's parseInput<T> expects.
export const registerToolInput = (limits: RegistryLimits) =>
  z
    .object({
      name: toolName,
      title: text(MAX_TITLE).nullish(),
      description: text(MAX_DESCRIPTION),
      inputSchema: jsonSchema(limits.maxSchemaBytes),
      outputSchema: jsonSchema(limits.maxSchemaBytes).nullish(),
      annotations: annotations.nullish(),
      tags: tags.nullish(),
      version: text(MAX_VERSION).nullish(),
      javascript: code.nullish(),
      http: http.nullish(),
      timeoutMs: timeout(limits.maxTimeoutMs).nullish(),
      enabled: z.boolean().nullish(),
    })
    .refine((input) => !(input.javascript && input.http), {
      message: 'give either javascript or http, not both',
      path: ['http'],
    });

export const updateToolInput = (limits: RegistryLimits) =>
  z.object({
    title: text(MAX_TITLE).nullish(),
    description: text(MAX_DESCRIPTION).nullish(),
    inputSchema: jsonSchema(limits.maxSchemaBytes).nullish(),
    outputSchema: jsonSchema(limits.maxSchemaBytes).nullish(),
    annotations: annotations.nullish(),
    tags: tags.nullish(),
    version: text(MAX_VERSION).nullish(),
    javascript: code.nullish(),
    http: http.nullish(),
    timeoutMs: timeout(limits.maxTimeoutMs).nullish(),
    enabled: z.boolean().nullish(),
  });

export const registerMcpServerInput = z.object({
  name: toolName,
  url: z.string().max(2_048, 'must be at most 2,048 characters'),
  headers: stringRecord.nullish(),
});

export const executeToolInput = z
  .object({
    toolId: z.string().nullish(),
    toolName: z.string().nullish(),
    arguments: z.unknown(),
    idempotencyKey: text(MAX_IDEMPOTENCY_KEY).nullish(),
    waitMs: z.number().int().min(0, 'must not be negative').nullish(),
  })
  .refine((input) => Boolean(input.toolId) !== Boolean(input.toolName), {
    message: 'give exactly one of toolId and toolName',
    path: ['toolId'],
  });

/** The page size `first`, 1 to MAX_PAGE. */
export function pageSize(first: number | null | undefined, fallback = 50): number {
  const size = first ?? fallback;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE) {
    throw badInput(`first must be between 1 and ${MAX_PAGE}.`, 'first');
  }
  return size;
}
