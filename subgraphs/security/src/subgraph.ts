// createSecuritySubgraph: users, roles, tokens and the JWKS. Builds; main.ts listens.
import DataLoader from 'dataloader';
import {
  createLocalVerifier,
  createLogger,
  createSubgraphServer,
  openSubgraphDatabase,
  REVOCATIONS_PATH,
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
import { openRevocations } from './revocations.js';
import { ADMIN_ROLE, DEFAULT_ROLE } from './roles.js';
import { createRelyingParty } from './sso/oidc.js';
import { createMailSink, createSmtpMailer, type Mailer } from './mail/mailer.js';
import { startOutboxDispatcher } from './mail/outbox.js';
import { startThrottlePruning } from './sign-in-throttle.js';

const here = __dirname;
export const JWKS_PATH = '/.well-known/jwks.json';

export interface SecurityDeps {
  /** The clock of TOTP codes, MFA challenges and sign-in locks (epoch ms); tests move it. */
  now?: () => number;
  /** Where mails go instead of the configured mailer (tests keep a sink to read them). */
  mailer?: Mailer;
}

export async function createSecuritySubgraph(
  config: SecurityConfig,
  deps: SecurityDeps = {},
): Promise<SubgraphServer<SecurityContext>> {
  const database = await openSubgraphDatabase(config, here, tables);
  const { db } = database;
  await seedRoles(db);
  const logger = createLogger(config.name, config.logLevel);
  const revocations = openRevocations(db, {
    redisUrl: config.redisUrl,
    pollMs: config.identity.revocationPollMs,
    logger,
  });
  const keys = await openKeyStore(db, {
    ...config.identity,
    ...config.signingKeys,
    ttlSeconds: config.tokenTtlSeconds,
    announce: revocations.announce,
    logger,
  });
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

  const mfa = { ...config.mfa, now: deps.now ?? Date.now };
  const sso = { settings: config.sso, relyingParty: createRelyingParty(config.sso) };
  const signInThrottle = { ...config.signInThrottle, now: deps.now ?? Date.now };
  const stopPruning = startThrottlePruning({ db, logger, signInThrottle });
  if (!deps.mailer && !config.mail.smtpUrl && config.env === 'production') {
    // Not a refusal to start: a deployment without mail still serves everything else.
    logger.warn(
      'MAIL IS NOT SENT: SMTP_URL is not set, so password reset and verification mails only go to the log (development sink). Set SMTP_URL.',
    );
  }
  const mailer =
    deps.mailer ??
    (config.mail.smtpUrl
      ? createSmtpMailer(config.mail.smtpUrl, config.mail.from)
      : createMailSink(logger));
  const outbox = startOutboxDispatcher({
    db,
    mailer,
    logger,
    pollMs: config.mail.outboxPollMs,
    now: deps.now,
  });
  const accountMail = {
    publicAppUrl: config.mail.publicAppUrl,
    passwordResetTtlSeconds: config.mail.passwordResetTtlSeconds,
    emailVerificationTtlSeconds: config.mail.emailVerificationTtlSeconds,
    signUpMode: config.mail.signUpMode,
    outbox,
    now: deps.now ?? Date.now,
  };

  return createSubgraphServer<SecurityContext>({
    config,
    sourceDir: here,
    resolvers,
    verifier: createLocalVerifier(keys.jwks, {
      ...config.identity,
      revocations: revocations.list,
    }),
    database,
    logger,
    onClose: async () => {
      stopPruning();
      await outbox.close();
      keys.close();
      await revocations.close();
    },
    capabilities: [
      'users',
      'password-login',
      'jwt',
      'jwks',
      'roles',
      'sessions',
      'revocations',
      'totp-mfa',
      'passkeys',
    ],
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
      [REVOCATIONS_PATH]: revocations.route,
    },
    context: (base) => ({
      ...base,
      db,
      keys,
      revocations,
      tokenTtlSeconds: config.tokenTtlSeconds,
      sessionLifetimes: config.sessions,
      users: new DataLoader((ids: readonly string[]) => usersByIds(db, ids)),
      rolesOf: new DataLoader((ids: readonly string[]) => roleNamesByUserIds(db, ids)),
      provenUserIds: new Set<string>(),
      mfa,
      webauthn: config.webauthn,
      sso,
      signInThrottle,
      accountMail,
    }),
  });
}
