// docker/compose.yaml runs only where a Docker engine is; these checks catch without one what
// would otherwise show only at `docker compose up`: a variable that its service ignores, a
// port that disagrees with ARCHITECTURE.md, a service that waits on one that never becomes
// healthy, a URL to 127.0.0.1 inside a container, a database that nothing creates.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import {
  APP_PORTS,
  APP_SERVICES,
  ROOT,
  SUBGRAPHS,
  configKeys,
  databaseKey,
  readText,
  serviceFolder,
} from './services.js';

interface ComposeService {
  image?: string;
  build?: { context?: string; dockerfile?: string; args?: Record<string, unknown> | string[] };
  ports?: (string | number | { target?: number; published?: number | string })[];
  environment?: Record<string, unknown> | string[];
  healthcheck?: { test?: string | string[]; disable?: boolean };
  depends_on?: string[] | Record<string, { condition?: string } | null>;
  volumes?: (string | { source?: string; target?: string })[];
}

const COMPOSE_DIR = 'docker';
const compose = parse(readText(`${COMPOSE_DIR}/compose.yaml`)) as {
  services: Record<string, ComposeService>;
};
const services = compose.services;
const serviceNames = Object.keys(services);
const dockerfile = readText('docker/Dockerfile');

const service = (name: string): ComposeService => {
  const found = services[name];
  if (!found) throw new Error(`docker/compose.yaml has no service "${name}"`);
  return found;
};

/** The environment as name -> value, from either of compose's two forms. */
function environment(name: string): Record<string, string> {
  const env = service(name).environment ?? {};
  const entries = Array.isArray(env)
    ? env.map((line) => [line.split('=')[0] ?? '', line.slice(line.indexOf('=') + 1)])
    : Object.entries(env).map(([key, value]) => [key, value == null ? '' : String(value)]);
  return Object.fromEntries(entries) as Record<string, string>;
}

/** Port mappings as "published:target", from the short or the long syntax. */
const portMappings = (name: string): string[] =>
  (service(name).ports ?? []).map((port) => {
    if (typeof port === 'object') return `${port.published}:${port.target}`;
    return String(port)
      .replace(/\/\w+$/, '')
      .split(':')
      .slice(-2)
      .join(':');
  });

/** Dependencies as name -> condition (the list form means `service_started`). */
function dependencies(name: string): Record<string, string> {
  const deps = service(name).depends_on ?? {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((dep) => [dep, 'service_started']));
  return Object.fromEntries(
    Object.entries(deps).map(([dep, spec]) => [dep, spec?.condition ?? 'service_started']),
  );
}

/** The services `name` waits for, directly or through the services it waits for. */
function waitsFor(name: string, seen = new Set<string>()): Set<string> {
  for (const dep of Object.keys(dependencies(name))) {
    if (!seen.has(dep)) waitsFor(dep, seen.add(dep));
  }
  return seen;
}

const hasHealthcheck = (name: string): boolean => {
  const check = service(name).healthcheck;
  const test = [check?.test ?? []].flat();
  return !check?.disable && test.length > 0 && test[0] !== 'NONE';
};

/** Every URL in a value: one for most variables, several in SUBGRAPH_URLS. */
const urlsIn = (value: string): URL[] =>
  (value.match(/[a-z][a-z0-9+.-]*:\/\/[^\s,]+/gi) ?? []).map((url) => new URL(url));

/** The SQL that the postgres service runs on its first start (/docker-entrypoint-initdb.d). */
function initSql(): string {
  const mounts = (service('postgres').volumes ?? [])
    .map((volume) =>
      typeof volume === 'string' ? volume.split(':') : [volume.source, volume.target],
    )
    .filter(([, target]) => target?.startsWith('/docker-entrypoint-initdb.d'));
  const sql = mounts
    .flatMap(([source]) => {
      const local = path.join(ROOT, COMPOSE_DIR, source ?? '');
      if (!statSync(local).isDirectory()) return [local];
      return readdirSync(local).map((file) => path.join(local, file));
    })
    .filter((file) => file.endsWith('.sql'))
    .map((file) => readText(path.relative(ROOT, file)))
    .join('\n');
  // Without comments: a commented-out statement must not count.
  return sql.replace(/--.*$/gm, '');
}

describe('docker/compose.yaml', () => {
  it('defines the router, the five subgraphs, postgres (with pgvector) and redis', () => {
    expect(serviceNames).toEqual(expect.arrayContaining([...APP_SERVICES, 'postgres', 'redis']));
    expect(service('postgres').image).toMatch(/^pgvector\/pgvector:/);
  });

  describe.each(APP_SERVICES)('%s', (name) => {
    const port = APP_PORTS[name];
    const env = () => environment(name);

    it(`publishes port ${port} as ${port}:${port} and sets PORT to it`, () => {
      expect(portMappings(name)).toContain(`${port}:${port}`);
      expect(env().PORT).toBe(String(port));
    });

    it(`sets only variables that ${serviceFolder(name)}/src/config.ts knows`, async () => {
      const known = await configKeys(name);
      expect(Object.keys(env()).filter((key) => !known.has(key))).toEqual([]);
    });

    it('runs in production mode (no GraphiQL, demo user or unmasked errors by default)', () => {
      expect(env().NODE_ENV).toBe('production');
      expect(dockerfile).toMatch(/^ENV NODE_ENV=production\b/m);
    });

    it('listens on all interfaces and knows where Redis and the JWKS are', () => {
      expect(env().HOST).toBe('0.0.0.0');
      expect(env().REDIS_URL).toBeTruthy();
      expect(env().SECURITY_JWKS_URL).toBeTruthy();
    });

    it('reports its health from /readyz on its own port', () => {
      expect(hasHealthcheck(name)).toBe(true);
      expect([service(name).healthcheck?.test].flat().join(' ')).toContain(
        `127.0.0.1:${port}/readyz`,
      );
    });

    it('is built from docker/Dockerfile with SERVICE naming its own folder', () => {
      const build = service(name).build;
      expect(path.resolve(ROOT, COMPOSE_DIR, build?.context ?? '.')).toBe(ROOT);
      expect(build?.dockerfile).toBe('docker/Dockerfile');
      const args = build?.args ?? {};
      const arg = Array.isArray(args)
        ? args.find((line) => line.startsWith('SERVICE='))?.slice('SERVICE='.length)
        : args.SERVICE;
      expect(arg).toBe(name);
      expect(existsSync(path.join(ROOT, serviceFolder(name), 'package.json'))).toBe(true);
      // The Dockerfile picks the final stage by SERVICE: each service needs its stage.
      expect(dockerfile).toMatch(new RegExp(`^FROM \\S+ AS service-${name}$`, 'm'));
    });
  });

  it.each(SUBGRAPHS)('%s has a database URL', (name) => {
    const env = environment(name);
    expect(env[databaseKey(name)] ?? env.DATABASE_URL).toBeTruthy();
  });

  it('gives the router its supergraph and every subgraph at its compose service and port', () => {
    const env = environment('router');
    expect(env.SUPERGRAPH_PATH).toBeTruthy();
    const entries = (env.SUBGRAPH_URLS ?? '').split(',').map((entry) => entry.split('='));
    expect(entries.map(([subgraph]) => subgraph).sort()).toEqual([...SUBGRAPHS].sort());
    for (const [subgraph, url] of entries) {
      const { hostname, port } = new URL(url ?? '');
      expect({ subgraph, hostname, port }).toEqual({
        subgraph,
        hostname: subgraph,
        port: String(APP_PORTS[subgraph as keyof typeof APP_PORTS]),
      });
    }
  });

  it.each(APP_SERVICES)(
    '%s reaches other containers by service name and waits for them',
    (name) => {
      for (const url of Object.values(environment(name)).flatMap(urlsIn)) {
        const target = url.hostname;
        expect({ url: url.href, isService: serviceNames.includes(target) }).toEqual({
          url: url.href,
          isService: true,
        });
        if (target in APP_PORTS) expect(url.port).toBe(String(APP_PORTS[target as 'router']));
        if (target !== name) expect([...waitsFor(name)]).toContain(target);
      }
    },
  );

  it('makes services wait only for services that exist and report themselves healthy', () => {
    for (const name of serviceNames) {
      for (const [dep, condition] of Object.entries(dependencies(name))) {
        expect({ name, dep, exists: serviceNames.includes(dep) }).toEqual({
          name,
          dep,
          exists: true,
        });
        expect({ name, dep, healthcheck: hasHealthcheck(dep), condition }).toEqual({
          name,
          dep,
          healthcheck: true,
          condition: 'service_healthy',
        });
      }
    }
  });

  it('points each database URL at the postgres service and a database the init SQL creates', () => {
    const postgres = environment('postgres');
    const sql = initSql();
    for (const name of SUBGRAPHS) {
      const env = environment(name);
      const url = new URL(env[databaseKey(name)] ?? env.DATABASE_URL ?? '');
      const database = url.pathname.slice(1);
      expect({ name, host: url.hostname, port: url.port || '5432' }).toEqual({
        name,
        host: 'postgres',
        port: '5432',
      });
      expect(decodeURIComponent(url.username)).toBe(postgres.POSTGRES_USER ?? 'postgres');
      expect(decodeURIComponent(url.password)).toBe(postgres.POSTGRES_PASSWORD);
      expect(sql).toMatch(new RegExp(`CREATE\\s+DATABASE\\s+"?${database}"?\\s*;`, 'i'));
    }
  });

  it('creates the vector extension in the memory database', () => {
    // psql runs the init SQL: the statements after `\connect memory` run in that database.
    const inMemory = initSql()
      .split(/^\\c(?:onnect)?\s+/m)
      .find((part) => /^"?memory\b/.test(part));
    expect(inMemory).toMatch(/CREATE\s+EXTENSION\s+(IF\s+NOT\s+EXISTS\s+)?"?vector"?/i);
  });
});

describe('docker/Dockerfile', () => {
  it('takes the service as the build argument SERVICE', () => {
    expect(dockerfile).toMatch(/^ARG SERVICE\b/m);
  });

  it("copies every workspace's package.json before installing", () => {
    const { workspaces } = JSON.parse(readText('package.json')) as { workspaces: string[] };
    const folders = workspaces.flatMap((pattern) =>
      pattern.endsWith('/*')
        ? readdirSync(path.join(ROOT, pattern.slice(0, -2))).map(
            (entry) => `${pattern.slice(0, -2)}/${entry}`,
          )
        : [pattern],
    );
    const manifests = folders.filter((folder) =>
      existsSync(path.join(ROOT, folder, 'package.json')),
    );
    for (const folder of manifests) {
      expect(dockerfile).toContain(`COPY ${folder}/package.json ${folder}/`);
    }
  });
});
