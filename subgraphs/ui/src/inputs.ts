// Validation of the ui subgraph's inputs and arguments (limits in one place).
import { z } from 'zod';
import { badInput, isUuid } from '@supergraph/kit';

export const READ_SCOPE = 'ui:read';
export const WRITE_SCOPE = 'ui:write';
export const MAX_TITLE = 200;
export const MAX_PAGE = 100;

// PostgreSQL text and jsonb cannot hold U+0000; refuse it as input rather than fail on write.
const NUL = '\u0000';

const title = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(MAX_TITLE, `must be at most ${MAX_TITLE} characters`)
  .refine((value) => !value.includes(NUL), 'must not contain NUL characters');

const content = (maxBytes: number) =>
  z
    .string()
    .refine(
      (value) => Buffer.byteLength(value, 'utf8') <= maxBytes,
      `must be at most ${maxBytes} bytes of UTF-8`,
    )
    .refine((value) => !value.includes(NUL), 'must not contain NUL characters');

export const createDocumentInput = (maxBytes: number) =>
  z.object({ title, content: content(maxBytes) });

export const updateDocumentInput = (maxBytes: number) =>
  z.object({
    id: z.string(),
    title: title.nullish(),
    content: content(maxBytes).nullish(),
    expectedVersion: z.number().int().min(1, 'must be at least 1').nullish(),
  });

// Input and output types alike (no transforms), as the kit's parseInput<T> expects.
const jsonObject = z
  .record(z.unknown(), { invalid_type_error: 'must be a JSON object' })
  // PostgreSQL jsonb cannot hold U+0000 either.
  .refine((value) => !JSON.stringify(value).includes('\\u0000'), 'must not contain NUL characters');

export const createVisualizationInput = z.object({
  title,
  kind: z.enum(['CHART', 'GRAPH', 'TABLE', 'TIMELINE']),
  spec: jsonObject,
});

/** The page size `first`, 1 to MAX_PAGE. */
export function pageSize(first: number | null | undefined, fallback = 20): number {
  const size = first ?? fallback;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE) {
    throw badInput(`first must be between 1 and ${MAX_PAGE}.`, 'first');
  }
  return size;
}

/** Updates one applyDocumentUpdates call may carry. */
export const MAX_UPDATES_PER_CALL = 100;
/** Largest presence state, in bytes of JSON. */
export const MAX_PRESENCE_BYTES = 4_096;
const MAX_CLIENT_ID = 64;
const MAX_VERSIONS_PAGE = 100;

const clientId = z
  .string()
  .min(1, 'must not be empty')
  .max(MAX_CLIENT_ID, `must be at most ${MAX_CLIENT_ID} characters`);

export const applyUpdatesInput = z.object({
  documentId: z.string(),
  clientId,
  updates: z
    .array(z.string())
    .min(1, 'must hold at least one update')
    .max(MAX_UPDATES_PER_CALL, `must hold at most ${MAX_UPDATES_PER_CALL} updates`),
});

export const editTextInput = (maxBytes: number) =>
  z.object({
    documentId: z.string(),
    index: z.number().int().min(0, 'must be at least 0'),
    delete: z.number().int().min(0, 'must be at least 0').nullish(),
    insert: content(maxBytes).nullish(),
  });

export const presenceInput = z.object({
  documentId: z.string(),
  clientId,
  state: jsonObject
    .refine(
      (value) => Buffer.byteLength(JSON.stringify(value), 'utf8') <= MAX_PRESENCE_BYTES,
      `must be at most ${MAX_PRESENCE_BYTES} bytes of JSON`,
    )
    .nullable(),
});

export const shareInput = z.object({
  id: z.string(),
  userId: z.string().refine(isUuid, 'must be a user id (a UUID)'),
  role: z.enum(['EDITOR', 'VIEWER'], {
    errorMap: () => ({ message: 'must be EDITOR or VIEWER (a resource has one owner)' }),
  }),
});

export const versionName = z.object({ name: title });

/** The versions page size, 1 to MAX_VERSIONS_PAGE. */
export const versionsPage = (first: number | null | undefined) => {
  const size = first ?? 20;
  if (!Number.isInteger(size) || size < 1 || size > MAX_VERSIONS_PAGE) {
    throw badInput(`first must be between 1 and ${MAX_VERSIONS_PAGE}.`, 'first');
  }
  return size;
};
