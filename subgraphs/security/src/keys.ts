// The subgraph's token-signing keys (ES256), kept in the database and rotated. Three kinds are
// published in the JWKS: the `next` key (created a rotation ahead, so that every verifier has
// fetched it before the first token it signs arrives), the `current` key that signs, and
// `retired` keys during their grace (tokens they signed stay accepted until then). Rotation
// runs on a schedule and on demand; it records the retired key's revocation, so that verifiers
// refuse its tokens from the end of the grace even while their cached JWKS still lists it.
// Every replica reloads the keys every `refreshMs`, so that one replica's rotation reaches all.
import { and, eq, gt, isNull, or, sql } from 'drizzle-orm';
import {
  SignJWT,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  type JSONWebKeySet,
  type KeyLike,
} from 'jose';
import { randomUUID } from 'node:crypto';
import {
  CLOCK_TOLERANCE_S,
  JWKS_STALENESS_MS,
  TOKEN_ALGORITHM,
  type Database,
  type Logger,
  type Revocation,
} from '@supergraph/kit';
import { signingKeys, type SigningKeyRow, type tables } from './db/schema.js';
import { recordRevocations } from './db/revocations.js';
import { recordSecurityEvent } from './security-events.js';

type Db = Database<typeof tables>;

export interface TokenClaims {
  subject: string;
  email: string;
  scopes: readonly string[];
  /** The session the token belongs to (`sid`): revoking the session revokes the token. */
  sessionId: string;
}

export interface KeyStore {
  /** The published keys: next, current, and retired ones still in their grace. */
  jwks(): JSONWebKeySet;
  sign(claims: TokenClaims): Promise<{ token: string; expiresAt: Date }>;
  /** The keys as the JWKS has them, for administrators. */
  published(): SigningKeyRow[];
  /** Retires the current key (its tokens accepted for the grace, or refused at once with
   * `retireNow`), promotes the next one and creates a new next one. */
  rotate(options?: { retireNow?: boolean }): Promise<SigningKeyRow>;
  close(): void;
}

export interface KeyStoreOptions {
  issuer: string;
  audience: string;
  ttlSeconds: number;
  /** Scheduled rotation after the current key has signed this long; 0 for on demand only. */
  rotationSeconds: number;
  /** How long tokens of a retired key stay accepted. */
  graceSeconds: number;
  /** How often the keys are read again (another replica may have rotated them). */
  refreshMs: number;
  /** Told of each key revocation after its rotation commits. */
  announce: (made: Revocation[]) => void;
  logger: Logger;
}

/** Serialises rotations across replicas (pg_advisory_xact_lock). */
const ROTATION_LOCK = 0x5e_c0_4e_75;

async function newKey(db: Db, state: 'next' | 'current') {
  const { publicKey, privateKey } = await generateKeyPair(TOKEN_ALGORITHM, { extractable: true });
  const kid = randomUUID();
  const [row] = await db
    .insert(signingKeys)
    .values({
      kid,
      algorithm: TOKEN_ALGORITHM,
      publicJwk: { ...(await exportJWK(publicKey)), kid, alg: TOKEN_ALGORITHM, use: 'sig' },
      privateJwk: await exportJWK(privateKey),
      state,
      activatedAt: state === 'current' ? new Date() : null,
    })
    .returning();
  return row!;
}

const byState = (rows: SigningKeyRow[], state: SigningKeyRow['state']) =>
  rows.find((row) => row.state === state);

/** In one locked transaction: a current and a next key exist; `rotate` moves them on. */
async function settleKeys(
  db: Db,
  rotate: ((current: SigningKeyRow) => boolean) | undefined,
  { graceSeconds, retireNow = false }: { graceSeconds: number; retireNow?: boolean },
): Promise<{ rotated?: SigningKeyRow; revocations: Revocation[] }> {
  return db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    await tx.execute(sql`select pg_advisory_xact_lock(${ROTATION_LOCK})`);
    const rows = await tx
      .select()
      .from(signingKeys)
      .where(or(eq(signingKeys.state, 'next'), eq(signingKeys.state, 'current')));
    let current = byState(rows, 'current');
    let next = byState(rows, 'next');
    const revocations: Revocation[] = [];
    let rotated: SigningKeyRow | undefined;
    if (current && rotate?.(current)) {
      const now = new Date();
      const acceptedUntil = retireNow ? now : new Date(now.getTime() + graceSeconds * 1000);
      [rotated] = await tx
        .update(signingKeys)
        .set({ state: 'retired', retiredAt: now, acceptedUntil })
        .where(eq(signingKeys.kid, current.kid))
        .returning();
      revocations.push({
        kind: 'key',
        id: current.kid,
        from: acceptedUntil.toISOString(),
        until: new Date(acceptedUntil.getTime() + JWKS_STALENESS_MS).toISOString(),
      });
      current = undefined;
    }
    if (!current) {
      if (next) {
        await tx
          .update(signingKeys)
          .set({ state: 'current', activatedAt: new Date() })
          .where(eq(signingKeys.kid, next.kid));
        next = undefined;
      } else {
        await newKey(t, 'current');
      }
    }
    if (!next) await newKey(t, 'next');
    await recordRevocations(t, revocations);
    return { rotated, revocations };
  });
}

export async function openKeyStore(db: Db, options: KeyStoreOptions): Promise<KeyStore> {
  const { issuer, audience, ttlSeconds, rotationSeconds, graceSeconds, logger } = options;
  let rows: SigningKeyRow[] = [];
  let signer: { kid: string; key: KeyLike | Uint8Array } | undefined;

  const load = async () => {
    // Retired keys are read a little past their grace: the JWKS filters them by time.
    rows = await db
      .select()
      .from(signingKeys)
      .where(
        or(
          isNull(signingKeys.acceptedUntil),
          and(
            eq(signingKeys.state, 'retired'),
            gt(signingKeys.acceptedUntil, sql`now() - interval '1 minute'`),
          ),
        ),
      )
      .orderBy(signingKeys.createdAt);
    const current = byState(rows, 'current');
    if (!current) throw new Error('no current signing key');
    if (signer?.kid !== current.kid) {
      signer = {
        kid: current.kid,
        key: await importJWK(current.privateJwk as JWK, TOKEN_ALGORITHM),
      };
    }
  };

  const due = (current: SigningKeyRow) =>
    rotationSeconds > 0 &&
    Date.now() - (current.activatedAt ?? current.createdAt).getTime() >= rotationSeconds * 1000;

  const settle = async (
    rotate: ((current: SigningKeyRow) => boolean) | undefined,
    retireNow = false,
  ) => {
    const { rotated, revocations } = await settleKeys(db, rotate, { graceSeconds, retireNow });
    await load();
    if (rotated) {
      options.announce(revocations);
      if (rotate === due) {
        // On demand, the resolver records it with its administrator.
        await recordSecurityEvent(
          { db, logger },
          {
            type: 'signing-key.rotated',
            details: { retiredKid: rotated.kid, retiredNow: false, scheduled: true },
          },
        );
      }
      logger.info(
        { retiredKid: rotated.kid, currentKid: signer!.kid, acceptedUntil: rotated.acceptedUntil },
        'signing key rotated',
      );
    }
    return rotated;
  };

  await settle(due);
  const refresh = setInterval(() => {
    const current = byState(rows, 'current');
    (current && due(current) ? settle(due) : load()).catch((error: unknown) =>
      logger.warn({ err: error }, 'reading the signing keys failed; signing with the last ones'),
    );
  }, options.refreshMs);
  refresh.unref();

  const published = () =>
    rows.filter(
      (row) => row.state !== 'retired' || (row.acceptedUntil?.getTime() ?? 0) > Date.now(),
    );

  return {
    jwks: () => ({ keys: published().map((row) => row.publicJwk as JWK) }),
    published,
    async sign({ subject, email, scopes, sessionId }) {
      const { kid, key } = signer!;
      const issuedAt = Math.floor(Date.now() / 1000);
      const expiresAt = new Date((issuedAt + ttlSeconds) * 1000);
      const token = await new SignJWT({ email, scope: scopes.join(' '), sid: sessionId })
        .setProtectedHeader({ alg: TOKEN_ALGORITHM, kid, typ: 'JWT' })
        .setSubject(subject)
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + ttlSeconds)
        .setJti(randomUUID())
        .sign(key);
      return { token, expiresAt };
    },
    async rotate({ retireNow = false } = {}) {
      const rotated = await settle(() => true, retireNow);
      return rotated!;
    },
    close: () => clearInterval(refresh),
  };
}

/** The default grace of a retired key: a token it signed just before rotation may live out
 * its lifetime, plus the time other replicas take to notice the rotation, plus clock skew. */
export const defaultGraceSeconds = (ttlSeconds: number, refreshMs: number) =>
  ttlSeconds + Math.ceil(refreshMs / 1000) + CLOCK_TOLERANCE_S;
