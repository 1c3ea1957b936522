// `npm run trusted-documents -- --out trusted-documents.json <files or folders>...`: the
// manifest of trusted documents for the router (TRUSTED_DOCUMENTS_PATH), from a client's code:
// .graphql/.gql files, and gql/graphql tagged templates in .ts/.tsx/.js/.jsx files. Each
// operation, with the fragments it uses, is printed by graphql-js and keyed by the sha256 of
// that text: the id a client sends (`extensions.persistedQuery.sha256Hash`), and the hash
// Apollo Client's persisted-query link computes for the same document.
import { gqlPluckFromCodeStringSync } from '@graphql-tools/graphql-tag-pluck';
import {
  Kind,
  parse,
  print,
  visit,
  type DefinitionNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
} from 'graphql';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { documentId } from '../router/src/persisted-operations.js';

const GRAPHQL_FILES = new Set(['.graphql', '.gql']);
const CODE_FILES = new Set(['.ts', '.tsx', '.js', '.jsx', '.mts', '.cts', '.mjs', '.cjs']);
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', '.git', '.data']);

function filesUnder(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .filter((name) => !SKIPPED_FOLDERS.has(name))
    .flatMap((name) => filesUnder(join(path, name)));
}

function documentsOf(file: string): DocumentNode[] {
  const extension = extname(file);
  const text = readFileSync(file, 'utf8');
  if (GRAPHQL_FILES.has(extension)) return [parse(text)];
  if (!CODE_FILES.has(extension)) return [];
  return gqlPluckFromCodeStringSync(file, text).map((source) => parse(source.body));
}

/** The fragments an operation needs, transitively, in the order the document has them. */
function withFragments(
  operation: OperationDefinitionNode,
  fragments: Map<string, FragmentDefinitionNode>,
): DefinitionNode[] {
  const needed = new Set<string>();
  const collect = (node: DefinitionNode) =>
    visit(node, {
      FragmentSpread(spread) {
        if (needed.has(spread.name.value)) return;
        needed.add(spread.name.value);
        const fragment = fragments.get(spread.name.value);
        if (!fragment) throw new Error(`The fragment ${spread.name.value} is not defined.`);
        collect(fragment);
      },
    });
  collect(operation);
  return [operation, ...[...fragments.values()].filter((f) => needed.has(f.name.value))];
}

/** id -> document of every operation in the files and folders given. */
export function buildTrustedDocuments(paths: readonly string[]): Map<string, string> {
  const manifest = new Map<string, string>();
  for (const file of paths.flatMap((path) => filesUnder(resolve(path)))) {
    for (const document of documentsOf(file)) {
      const fragments = new Map(
        document.definitions
          .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
          .map((fragment) => [fragment.name.value, fragment]),
      );
      const operations = document.definitions.filter(
        (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
      );
      for (const operation of operations) {
        // A document of one operation is kept whole, as a client sends (and hashes) it.
        const text =
          operations.length === 1
            ? print(document)
            : print({ kind: Kind.DOCUMENT, definitions: withFragments(operation, fragments) });
        manifest.set(documentId(text), text);
      }
    }
  }
  return manifest;
}

function main(argv: string[]) {
  const outAt = argv.indexOf('--out');
  const out = outAt >= 0 ? argv[outAt + 1] : undefined;
  const paths = argv.filter((_, index) => index !== outAt && index !== outAt + 1);
  if (!out || paths.length === 0) {
    console.error(
      'usage: npm run trusted-documents -- --out <manifest.json> <files or folders>...',
    );
    process.exit(2);
  }
  const manifest = buildTrustedDocuments(paths);
  writeFileSync(out, `${JSON.stringify(Object.fromEntries(manifest), null, 2)}\n`);
  console.log(`${manifest.size} trusted documents written to ${out}`);
}

if (process.argv[1] && resolve(process.argv[1]) === __filename) main(process.argv.slice(2));
