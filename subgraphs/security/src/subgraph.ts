// createSecuritySubgraph: users, roles, tokens and the JWKS. Builds; main.ts listens.
import DataLoader from 'dataloader';
import {
  createLocalVerifier,
  createLogger,
  createRateLimits,
  createSubgraphServer,
  openSubgraphDatabase,
  type SubgraphServer,
} from '@supergraph/kit';
import type { SecurityConfig } from './config.js';
import type { SecurityContext } from './context.js';
import { tables } from './db/schema.js';
import {
  insertUser,
  findUserByEmail,
  roleNamesByUserIds,
  seedRoles,
  usersByIds,
} from './db/users.js';
import { openKeyStore } from './keys.js';
import { hashPassword } from './passwords.js';
import { resolvers } from './resolvers/index.js';
import { ADMIN_ROLE, DEFAULT_ROLE } from './roles.js';
import { createRelyingParty } from './sso/oidc.js';
import { SSO_DEFAULTS } from './sso/settings.js';

const here = __dirname;
export const JWKS_PATH = '/.well-known/jwks.json';

export async function createSecuritySubgraph(
  config: SecurityConfig,
): Promise<SubgraphServer<SecurityContext>> {
  const database = await openSubgraphDatabase(config, here, tables);
  const { db } = database;
  await seedRoles(db);
  const keys = await openKeyStore(db, { ...config.identity, ttlSeconds: config.tokenTtlSeconds });
  if (config.demoUser && !(await findUserByEmail(db, config.demoUser.email))) {
    await insertUser(
      db,
      {
        email: config.demoUser.email,
        displayName: 'Demo',
        passwordHash: await hashPassword(config.demoUser.password),
      },
      [DEFAULT_ROLE, ADMIN_ROLE],
    );
  }

  const logger = createLogger(config.name, config.logLevel);
  const rateLimits = createRateLimits({ service: config.name, redisUrl: config.redisUrl, logger });
  const loginAttempts = rateLimits.bucket('login-account', config.loginRateLimit);
  await rateLimits.connected();
  const ssoSettings = config.sso ?? SSO_DEFAULTS;
  const sso = { settings: ssoSettings, relyingParty: createRelyingParty(ssoSettings) };

  return createSubgraphServer<SecurityContext>({
    config,
    sourceDir: here,
    resolvers,
    verifier: createLocalVerifier(keys.jwks, config.identity),
    database,
    logger,
    onClose: () => rateLimits.close(),
    capabilities: ['users', 'password-login', 'jwt', 'jwks', 'roles'],
    routes: {
      // Routes receive every method: the keys are only read.
      [JWKS_PATH]: (request) =>
        request.method === 'GET'
          ? new Response(JSON.stringify(keys.jwks()), {
              headers: {
                'content-type': 'application/json',
                'cache-control': 'public, max-age=300',
              },
            })
          : new Response(null, { status: 405, headers: { allow: 'GET' } }),
    },
    context: (base) => ({
      ...base,
      db,
      keys,
      tokenTtlSeconds: config.tokenTtlSeconds,
      sessionLifetimes: config.sessions,
      users: new DataLoader((ids: readonly string[]) => usersByIds(db, ids)),
      rolesOf: new DataLoader((ids: readonly string[]) => roleNamesByUserIds(db, ids)),
      provenUserIds: new Set<string>(),
      loginAttempts,
      sso,
    }),
  });
}
