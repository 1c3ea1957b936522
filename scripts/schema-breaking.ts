// `npm run schema:breaking [-- --base REF]`: what changed in the API schema that clients see
// (schema/supergraph.graphql's API schema at a base commit against the working tree), each
// change with its criticality by @graphql-inspector/core. Fails on a breaking change unless
// HEAD's commit message has a line `Breaking-Change: intended`.
// The base is --base, else SCHEMA_BASE_REF, else HEAD~1; without one (a shallow clone, the
// first commit, no git) there is nothing to compare and it passes.
import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core';
import type { GraphQLSchema } from 'graphql';
import { execFileSync } from 'node:child_process';
import { relative, resolve } from 'node:path';
import { apiSchemaOf, readApiSchema, SUPERGRAPH_FILE } from '../schema/compose.js';

const ROOT = resolve(__dirname, '..');
const DEFAULT_BASE_REF = 'HEAD~1';

/** A line of its own in the commit message that says the break is on purpose. */
export const INTENDED_MARKER = /^\s*Breaking-Change:\s*intended\s*$/im;

export interface SchemaReport {
  lines: string[];
  exitCode: 0 | 1;
}

const LABELS: Record<CriticalityLevel, string> = {
  [CriticalityLevel.Breaking]: 'BREAKING',
  [CriticalityLevel.Dangerous]: 'DANGEROUS',
  [CriticalityLevel.NonBreaking]: 'SAFE',
};

const ORDER = [CriticalityLevel.Breaking, CriticalityLevel.Dangerous, CriticalityLevel.NonBreaking];

/** The decision: every change listed; non-zero only for an unmarked breaking change. */
export function decide(changes: readonly Change[], commitMessage: string): SchemaReport {
  // Breaking first: a description-only commit lists hundreds of safe changes.
  const lines = [...changes]
    .sort((a, b) => ORDER.indexOf(a.criticality.level) - ORDER.indexOf(b.criticality.level))
    .map((change) => {
      const where = change.path ? `${change.path}: ` : '';
      return `  ${LABELS[change.criticality.level].padEnd(9)} ${where}${change.message}`;
    });
  const breaking = changes.filter(
    (change) => change.criticality.level === CriticalityLevel.Breaking,
  ).length;
  if (changes.length === 0) return { lines: ['The API schema has not changed.'], exitCode: 0 };
  lines.unshift(`The API schema has ${changes.length} change(s), ${breaking} breaking:`);
  if (breaking === 0) return { lines, exitCode: 0 };
  if (INTENDED_MARKER.test(commitMessage)) {
    lines.push('The breaking changes are intended (Breaking-Change: intended in the commit).');
    return { lines, exitCode: 0 };
  }
  lines.push(
    'Breaking changes break clients. If that is meant, say so in the commit message with a ' +
      'line `Breaking-Change: intended`.',
  );
  return { lines, exitCode: 1 };
}

/** Compares two API schemas; a null base (none to compare with) passes. */
export async function compareSchemas(
  base: GraphQLSchema | null,
  current: GraphQLSchema,
  commitMessage: string,
): Promise<SchemaReport> {
  if (!base) return { lines: ['No base schema to compare with: nothing to check.'], exitCode: 0 };
  return decide(await diff(base, current), commitMessage);
}

const git = (...args: string[]): string =>
  execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** The supergraph at a commit, or null when there is no such commit or file here. */
function supergraphAt(ref: string): string | null {
  try {
    return git('show', `${ref}:${relative(ROOT, SUPERGRAPH_FILE)}`);
  } catch {
    return null;
  }
}

function commitMessage(): string {
  try {
    return git('log', '-1', '--format=%B');
  } catch {
    return '';
  }
}

function baseRefOf(args: string[]): string {
  const at = args.indexOf('--base');
  if (at >= 0 && args[at + 1]) return args[at + 1]!;
  return process.env.SCHEMA_BASE_REF || DEFAULT_BASE_REF;
}

async function main(args: string[]): Promise<number> {
  const ref = baseRefOf(args);
  const baseSdl = supergraphAt(ref);
  if (baseSdl === null) console.log(`No schema/supergraph.graphql at ${ref} (shallow clone?).`);
  else console.log(`Comparing the API schema at ${ref} with the working tree.`);
  const report = await compareSchemas(
    baseSdl === null ? null : apiSchemaOf(baseSdl),
    readApiSchema(),
    commitMessage(),
  );
  for (const line of report.lines) console.log(line);
  return report.exitCode;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
