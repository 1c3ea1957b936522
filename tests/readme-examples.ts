// The README's GraphQL examples as steps a test can run in order: each named operation of a
// ```graphql block, the variables and answer shown after it (a ```json block introduced by an
// HTML comment `<!-- variables: A, B -->`, `<!-- answer: A -->` or `<!-- event: S after A -->`),
// and a matcher that holds an answer to the documented one.
import { Kind, parse, type OperationDefinitionNode } from 'graphql';

export interface ReadmeOperation {
  /** The whole ```graphql block, sent as is with `operationName`, as the README says to. */
  document: string;
  name: string;
  type: OperationDefinitionNode['operation'];
  /** Variables as documented; `"<field.path>"` stands for a value of an earlier answer. */
  variables?: Record<string, unknown>;
  /** The documented answer. */
  answer?: unknown;
  /** For a subscription: the documented event, and the operation whose run produces it. */
  event?: { answer: unknown; after: string };
}

const ELEMENTS = /```(\w+)\n([\s\S]*?)```|<!--\s*(variables|answer|event):\s*(.*?)\s*-->/g;

/** The operations of a README, in order, with what the README shows for each. */
export function readmeOperations(markdown: string): ReadmeOperation[] {
  const operations: ReadmeOperation[] = [];
  const byName = new Map<string, ReadmeOperation>();
  let pending: { kind: string; names: string[] } | undefined;
  for (const match of markdown.matchAll(ELEMENTS)) {
    const [, language, code, marker, argument] = match;
    if (marker) {
      pending = { kind: marker, names: argument!.split(/[\s,]+/).filter(Boolean) };
      continue;
    }
    if (language === 'graphql') {
      for (const definition of parse(code!).definitions) {
        if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
        const name = definition.name?.value;
        if (!name) throw new Error(`an operation of a README block has no name:\n${code}`);
        const operation = { document: code!, name, type: definition.operation };
        operations.push(operation);
        byName.set(name, operation);
      }
    } else if (language === 'json' && pending) {
      const value: unknown = JSON.parse(code!);
      const named = (name: string) => {
        const operation = byName.get(name);
        if (!operation) throw new Error(`"${name}" is not an operation above its json block`);
        return operation;
      };
      if (pending.kind === 'variables') {
        for (const name of pending.names) named(name).variables = value as Record<string, unknown>;
      } else if (pending.kind === 'answer') {
        for (const name of pending.names) named(name).answer = value;
      } else {
        const [name, after, trigger] = pending.names;
        if (after !== 'after' || !trigger) throw new Error('expected <!-- event: S after A -->');
        named(name!).event = { answer: value, after: named(trigger).name };
      }
    }
    pending = undefined;
  }
  return operations;
}

/** Replaces each `"<field.path>"` with the value at that path of the latest answer that has it. */
export function resolveVariables(
  variables: Record<string, unknown> | undefined,
  answers: readonly Record<string, unknown>[],
): Record<string, unknown> | undefined {
  if (!variables) return undefined;
  const resolve = (value: unknown): unknown => {
    if (typeof value === 'string' && /^<[\w.]+>$/.test(value)) {
      const path = value.slice(1, -1).split('.');
      for (const answer of [...answers].reverse()) {
        const found = path.reduce<unknown>(
          (at, key) =>
            at && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined,
          answer,
        );
        if (found !== undefined) return found;
      }
      throw new Error(`no earlier answer has ${value}`);
    }
    if (Array.isArray(value)) return value.map(resolve);
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, resolve(entry)]));
    }
    return value;
  };
  return resolve(variables) as Record<string, unknown>;
}

const ELLIPSIS = '…';

/**
 * Where an answer differs from the documented one (empty when it matches). A documented
 * string containing "…" stands for any string, a number for any number; other values are
 * exact. Objects have the same keys. A list has the documented elements, or at least them
 * when the documented list ends with "…".
 */
export function differences(actual: unknown, documented: unknown, path = '$'): string[] {
  if (typeof documented === 'string' && documented.includes(ELLIPSIS)) {
    return typeof actual === 'string' ? [] : [`${path}: expected a string, got ${show(actual)}`];
  }
  if (typeof documented === 'number') {
    return typeof actual === 'number' ? [] : [`${path}: expected a number, got ${show(actual)}`];
  }
  if (Array.isArray(documented)) {
    if (!Array.isArray(actual)) return [`${path}: expected a list, got ${show(actual)}`];
    const open = documented.at(-1) === ELLIPSIS;
    const elements = open ? documented.slice(0, -1) : documented;
    if (open ? actual.length < elements.length : actual.length !== elements.length) {
      return [
        `${path}: expected ${open ? 'at least ' : ''}${elements.length} items, got ${actual.length}`,
      ];
    }
    return elements.flatMap((element, i) => differences(actual[i], element, `${path}[${i}]`));
  }
  if (documented && typeof documented === 'object') {
    if (!actual || typeof actual !== 'object' || Array.isArray(actual)) {
      return [`${path}: expected an object, got ${show(actual)}`];
    }
    const keys = new Set([...Object.keys(documented), ...Object.keys(actual)]);
    return [...keys].flatMap((key) =>
      key in documented && key in actual
        ? differences(
            (actual as Record<string, unknown>)[key],
            (documented as Record<string, unknown>)[key],
            `${path}.${key}`,
          )
        : [
            `${path}.${key}: ${key in documented ? 'missing' : `not documented (${show((actual as Record<string, unknown>)[key])})`}`,
          ],
    );
  }
  return actual === documented
    ? []
    : [`${path}: expected ${show(documented)}, got ${show(actual)}`];
}

const show = (value: unknown) => JSON.stringify(value)?.slice(0, 200) ?? String(value);
