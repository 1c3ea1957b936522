// The subgraph's token-signing keys: an ES256 key pair created on first start and kept in
// the database; tokens are signed with the active key; the public keys form the JWKS.
import { desc, eq } from 'drizzle-orm';
import { SignJWT, exportJWK, generateKeyPair, importJWK, type JWK, type JSONWebKeySet } from 'jose';
import { randomUUID } from 'node:crypto';
import type { Database } from '@supergraph/kit';
import { signingKeys, type tables } from './db/schema.js';

const ALGORITHM = 'ES256';

export interface TokenClaims {
  subject: string;
  email: string;
  scopes: readonly string[];
  /** The session the token belongs to (`sid`): revoking the session revokes the token. */
  sessionId: string;
}

export interface KeyStore {
  jwks(): JSONWebKeySet;
  sign(claims: TokenClaims): Promise<{ token: string; expiresAt: Date }>;
}

export interface KeyStoreOptions {
  issuer: string;
  audience: string;
  ttlSeconds: number;
}

export async function openKeyStore(
  db: Database<typeof tables>,
  { issuer, audience, ttlSeconds }: KeyStoreOptions,
): Promise<KeyStore> {
  let [active] = await db
    .select()
    .from(signingKeys)
    .where(eq(signingKeys.active, true))
    .orderBy(desc(signingKeys.createdAt))
    .limit(1);
  if (!active) {
    const { publicKey, privateKey } = await generateKeyPair(ALGORITHM, { extractable: true });
    const kid = randomUUID();
    [active] = await db
      .insert(signingKeys)
      .values({
        kid,
        algorithm: ALGORITHM,
        publicJwk: { ...(await exportJWK(publicKey)), kid, alg: ALGORITHM, use: 'sig' },
        privateJwk: await exportJWK(privateKey),
      })
      .returning();
  }
  const key = active!;
  const privateKey = await importJWK(key.privateJwk as JWK, ALGORITHM);
  const published = await db.select({ jwk: signingKeys.publicJwk }).from(signingKeys);
  const jwks: JSONWebKeySet = { keys: published.map(({ jwk }) => jwk as JWK) };

  return {
    jwks: () => jwks,
    async sign({ subject, email, scopes, sessionId }) {
      const issuedAt = Math.floor(Date.now() / 1000);
      const expiresAt = new Date((issuedAt + ttlSeconds) * 1000);
      const token = await new SignJWT({ email, scope: scopes.join(' '), sid: sessionId })
        .setProtectedHeader({ alg: ALGORITHM, kid: key.kid, typ: 'JWT' })
        .setSubject(subject)
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + ttlSeconds)
        .setJti(randomUUID())
        .sign(privateKey);
      return { token, expiresAt };
    },
  };
}
