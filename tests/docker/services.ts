// What the container checks compare against: the services and ports of ARCHITECTURE.md, and
// the settings each service's own zod schema (src/config.ts) accepts.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

export const ROOT = path.resolve(__dirname, '../..');

export const SUBGRAPHS = ['memory', 'provider', 'security', 'ui', 'tools'] as const;
export type AppService = (typeof SUBGRAPHS)[number] | 'router';

/** The port of each service in ARCHITECTURE.md. */
export const APP_PORTS: Record<AppService, number> = {
  router: 4000,
  memory: 4001,
  provider: 4002,
  security: 4003,
  ui: 4004,
  tools: 4005,
};
export const APP_SERVICES = Object.keys(APP_PORTS) as AppService[];

/** The service's workspace folder, relative to the repository root. */
export const serviceFolder = (service: string): string =>
  service === 'router' ? 'router' : `subgraphs/${service}`;

/** The variable that names a subgraph's own database, e.g. MEMORY_DATABASE_URL. */
export const databaseKey = (subgraph: string): string => `${subgraph.toUpperCase()}_DATABASE_URL`;

const keysByService = new Map<string, Promise<Set<string>>>();

/**
 * The variable names a service's config schema knows: the keys of `envSchema` exported by
 * its src/config.ts. Loaded on demand so that a missing or broken file fails only the checks
 * of that service, with a message that names the file.
 */
export function configKeys(service: string): Promise<Set<string>> {
  let keys = keysByService.get(service);
  if (!keys) {
    keys = loadConfigKeys(service);
    keysByService.set(service, keys);
  }
  return keys;
}

async function loadConfigKeys(service: string): Promise<Set<string>> {
  const file = path.join(ROOT, serviceFolder(service), 'src/config.ts');
  if (!existsSync(file)) throw new Error(`${path.relative(ROOT, file)} does not exist yet`);
  const module = (await import(file)) as { envSchema?: { shape?: Record<string, unknown> } };
  const shape = module.envSchema?.shape;
  if (!shape) {
    throw new Error(`${path.relative(ROOT, file)} does not export envSchema as a zod object`);
  }
  return new Set(Object.keys(shape));
}

export const readText = (relativePath: string): string =>
  readFileSync(path.join(ROOT, relativePath), 'utf8');

/** Every document of a YAML file, failing on any syntax error rather than skipping it. */
export function readYamlDocuments(relativePath: string): unknown[] {
  return parseAllDocuments(readText(relativePath)).map((document) => {
    if (document.errors.length > 0) {
      throw new Error(`${relativePath}: ${document.errors.map((e) => e.message).join('; ')}`);
    }
    return document.toJS() as unknown;
  });
}
