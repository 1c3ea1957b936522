// Composes the subgraphs of supergraph.yaml into supergraph.graphql with @apollo/composition.
// `npm run compose` writes the file; `npm run compose -- --check` fails when it is stale or
// when composition fails, and changes nothing.
import { composeServices } from '@apollo/composition';
import { Supergraph } from '@apollo/federation-internals';
import { parse, type GraphQLSchema } from 'graphql';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';

interface SupergraphConfig {
  subgraphs: Record<string, { routing_url: string; schema: string }>;
}

export const SUPERGRAPH_CONFIG = resolve(__dirname, 'supergraph.yaml');
export const SUPERGRAPH_FILE = resolve(__dirname, 'supergraph.graphql');

/** The schema clients see: a supergraph without its federation machinery (join__, link). */
export const apiSchemaOf = (supergraphSdl: string): GraphQLSchema =>
  Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();

/** The API schema of the committed supergraph file. */
export const readApiSchema = (): GraphQLSchema =>
  apiSchemaOf(readFileSync(SUPERGRAPH_FILE, 'utf8'));

const HEADER = '# Composed by schema/compose.ts from schema/supergraph.yaml: do not edit.\n';

export function composeSupergraph(configPath = SUPERGRAPH_CONFIG): string {
  const config = parseYaml(readFileSync(configPath, 'utf8')) as SupergraphConfig;
  const base = dirname(configPath);
  const services = Object.entries(config.subgraphs).map(([name, { routing_url, schema }]) => ({
    name,
    url: routing_url,
    typeDefs: parse(readFileSync(resolve(base, schema), 'utf8')),
  }));
  const result = composeServices(services);
  if (result.errors) {
    const lines = result.errors.map((error) => `  - ${error.message}`);
    throw new Error(`Composition failed:\n${lines.join('\n')}`);
  }
  return HEADER + result.supergraphSdl + '\n';
}

function main(args: string[]): number {
  let composed: string;
  try {
    composed = composeSupergraph();
  } catch (error) {
    console.error((error as Error).message);
    return 1;
  }
  if (args.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(SUPERGRAPH_FILE, 'utf8');
    } catch {
      // a missing file is stale
    }
    if (current !== composed) {
      console.error('schema/supergraph.graphql is stale: run `npm run compose` and commit it.');
      return 1;
    }
    console.log('schema/supergraph.graphql is up to date.');
    return 0;
  }
  writeFileSync(SUPERGRAPH_FILE, composed);
  console.log(`Wrote ${SUPERGRAPH_FILE}`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
