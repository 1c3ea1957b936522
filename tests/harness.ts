// Starts the five subgraphs and the router in process on port 0 (security first: the others
// fetch its JWKS), and owns their teardown. Data lives in memory unless a data dir is given.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SubgraphServer, BaseContext } from '@supergraph/kit';
import * as memory from '../subgraphs/memory/src/config.js';
import { createMemorySubgraph } from '../subgraphs/memory/src/subgraph.js';
import * as provider from '../subgraphs/provider/src/config.js';
import { createProviderSubgraph } from '../subgraphs/provider/src/subgraph.js';
import * as security from '../subgraphs/security/src/config.js';
import { createSecuritySubgraph } from '../subgraphs/security/src/subgraph.js';
import * as tools from '../subgraphs/tools/src/config.js';
import { createToolsSubgraph } from '../subgraphs/tools/src/subgraph.js';
import * as ui from '../subgraphs/ui/src/config.js';
import { createUiSubgraph } from '../subgraphs/ui/src/subgraph.js';
import { parseConfig as parseRouterConfig } from '../router/src/config.js';
import { createRouter, type Router } from '../router/src/router.js';
import { SUPERGRAPH_FILE } from '../schema/compose.js';

export const SUBGRAPHS = ['security', 'memory', 'provider', 'ui', 'tools'] as const;
export type SubgraphName = (typeof SUBGRAPHS)[number];

type AnyServer = SubgraphServer<BaseContext>;
type Env = Record<string, string>;

const factories: Record<SubgraphName, (env: Env) => Promise<AnyServer>> = {
  security: async (env) => (await createSecuritySubgraph(security.parseConfig(env))) as never,
  memory: async (env) => (await createMemorySubgraph(memory.parseConfig(env))) as never,
  provider: async (env) => (await createProviderSubgraph(provider.parseConfig(env))) as never,
  ui: async (env) => (await createUiSubgraph(ui.parseConfig(env))) as never,
  tools: async (env) => (await createToolsSubgraph(tools.parseConfig(env))) as never,
};

export interface HarnessOptions {
  /** A folder for embedded databases (kept across restarts); in memory when absent. */
  dataDir?: string;
  /** More environment for every service, e.g. breaker settings for the router. */
  env?: Env;
  /** Where the router sends a subgraph's requests instead of the harness' own instance. */
  routeOverrides?: Partial<Record<SubgraphName, string>>;
}

export interface Supergraph {
  router: Router;
  /** The router's GraphQL URL. */
  url: string;
  subgraphUrls: Record<SubgraphName, string>;
  services: Record<SubgraphName, AnyServer>;
  /** Stops one subgraph (its port is then refused), keeping its data dir. */
  stop(name: SubgraphName): Promise<void>;
  /** Starts a stopped subgraph again on the same port. */
  start(name: SubgraphName): Promise<void>;
  close(): Promise<void>;
}

export async function startSupergraph({
  dataDir,
  env = {},
  routeOverrides = {},
}: HarnessOptions = {}): Promise<Supergraph> {
  const base: Env = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: dataDir ?? 'memory://',
    ...env,
  };
  const services = {} as Record<SubgraphName, AnyServer>;
  const ports = {} as Record<SubgraphName, number>;
  const running = new Set<SubgraphName>();
  let jwksUrl = '';

  const start = async (name: SubgraphName) => {
    const server = await factories[name]({
      ...base,
      PORT: String(ports[name] ?? 0),
      SECURITY_JWKS_URL: jwksUrl || 'http://127.0.0.1:1/unused',
    });
    const { port } = await server.listen();
    services[name] = server;
    ports[name] = port;
    running.add(name);
  };

  const closeAll = async () => {
    await Promise.allSettled([...running].map((name) => services[name].close()));
    running.clear();
  };

  try {
    await start('security');
    jwksUrl = `http://127.0.0.1:${ports.security}/.well-known/jwks.json`;
    await Promise.all(SUBGRAPHS.filter((name) => name !== 'security').map(start));
  } catch (error) {
    await closeAll();
    throw error;
  }

  const subgraphUrls = Object.fromEntries(
    SUBGRAPHS.map((name) => [name, `http://127.0.0.1:${ports[name]}/graphql`]),
  ) as Record<SubgraphName, string>;
  const router = await createRouter(
    parseRouterConfig({
      ...base,
      PORT: '0',
      SECURITY_JWKS_URL: jwksUrl,
      SUBGRAPH_URLS: Object.entries({ ...subgraphUrls, ...routeOverrides })
        .map(([name, url]) => `${name}=${url}`)
        .join(','),
    }),
    { supergraphSdl: readFileSync(SUPERGRAPH_FILE, 'utf8') },
  );
  const { url } = await router.listen();

  return {
    router,
    url,
    subgraphUrls,
    services,
    async stop(name) {
      running.delete(name);
      await services[name].close();
    },
    start,
    async close() {
      await router.close();
      await closeAll();
    },
  };
}

/** Signs up a new user through the router and returns its id and token. */
export async function signUp(
  url: string,
  email = `user-${Date.now()}-${Math.random()}@example.com`,
) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: 'mutation($input: SignUpInput!) { signUp(input: $input) { token user { id } } }',
      variables: { input: { email, password: 'a long password' } },
    }),
  });
  const body = (await response.json()) as {
    data?: { signUp: { token: string; user: { id: string } } };
  };
  if (!body.data) throw new Error(`signUp failed: ${JSON.stringify(body)}`);
  return { token: body.data.signUp.token, userId: body.data.signUp.user.id, email };
}

/** A data dir on disk for embedded databases kept across restarts; remove() deletes it (with
 * retries: an embedded database may still be finishing its files). */
export function temporaryDataDir(prefix: string) {
  const path = mkdtempSync(join(tmpdir(), `${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true, maxRetries: 5 }) };
}
