// JSON Schemas of tools: checked to be valid schemas at registration, compiled once per tool
// version, and used to check arguments (before an execution exists) and outputs (after it ran).
import Ajv, { type AnySchema, type ErrorObject, type ValidateFunction } from 'ajv';
import Ajv2019 from 'ajv/dist/2019';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { LRUCache } from 'lru-cache';

/** One problem of a value, located by its JSON pointer (RFC 6901; "" is the whole value). */
export interface SchemaProblem {
  pointer: string;
  message: string;
}

const COMPILED_SCHEMAS = 500;
const MAX_PROBLEMS = 20;

// The schema's $schema picks the draft; without one, draft-07 (what MCP's SDKs emit).
function newAjv(Class: typeof Ajv) {
  // strict: false: schemas written by others carry keywords Ajv does not know (e.g.
  // "examples" in places, vendor x- keys); they are annotations, not errors.
  const ajv = new Class({ allErrors: true, strict: false, validateFormats: true });
  addFormats(ajv);
  return ajv;
}
const engines = {
  draft07: newAjv(Ajv),
  draft2019: newAjv(Ajv2019 as unknown as typeof Ajv),
  draft2020: newAjv(Ajv2020 as unknown as typeof Ajv),
};

function engineFor(schema: Record<string, unknown>) {
  const declared = typeof schema['$schema'] === 'string' ? schema['$schema'] : '';
  if (declared.includes('2020-12')) return engines.draft2020;
  if (declared.includes('2019-09')) return engines.draft2019;
  return engines.draft07;
}

/**
 * Why the schema is not a usable JSON Schema of an object (MCP's tool schemas describe
 * objects), or undefined when it is.
 */
export function schemaProblem(schema: Record<string, unknown>): string | undefined {
  if (schema['type'] !== 'object') return 'must be a JSON Schema with "type": "object"';
  const ajv = engineFor(schema);
  if (!ajv.validateSchema(schema as AnySchema)) {
    return `is not a valid JSON Schema: ${ajv.errorsText(ajv.errors, { dataVar: 'schema' })}`;
  }
  try {
    // Catches what the meta-schema cannot: unresolvable $refs, bad regular expressions.
    ajv.compile(schema);
  } catch (error) {
    return `is not a usable JSON Schema: ${(error as Error).message}`;
  }
  return undefined;
}

const compiled = new LRUCache<string, ValidateFunction>({ max: COMPILED_SCHEMAS });

/** The problems of `value` against the schema; empty when it conforms. `key` names the
 * schema's version (e.g. tool id and update time) so it is compiled once. */
export function schemaProblems(
  key: string,
  schema: Record<string, unknown>,
  value: unknown,
): SchemaProblem[] {
  let validate = compiled.get(key);
  if (!validate) {
    validate = engineFor(schema).compile(schema);
    compiled.set(key, validate);
  }
  if (validate(value)) return [];
  // In document order of the value, so that a reader meets them as they read it.
  return (validate.errors ?? [])
    .map(toProblem)
    .sort((a, b) => (a.pointer < b.pointer ? -1 : a.pointer > b.pointer ? 1 : 0))
    .slice(0, MAX_PROBLEMS);
}

function toProblem(error: ErrorObject): SchemaProblem {
  // A missing property is reported at its parent; point at the property itself.
  const missing = (error.params as { missingProperty?: string }).missingProperty;
  const pointer =
    missing === undefined ? error.instancePath : `${error.instancePath}/${escape(missing)}`;
  const extra = (error.params as { additionalProperty?: string }).additionalProperty;
  const message =
    extra === undefined ? (error.message ?? 'is invalid') : `must not have property ${extra}`;
  return {
    pointer: extra === undefined ? pointer : `${error.instancePath}/${escape(extra)}`,
    message,
  };
}

const escape = (token: string) => token.replace(/~/g, '~0').replace(/\//g, '~1');
