// Attacks on sign-in through the router. A stolen refresh token: whichever of thief and owner
// uses it second ends the session for both. Garbage refresh tokens get the same coded refusal
// as used ones, and a mutation's refusal leaves the session as it was. A revoked session's
// access token is refused within seconds at the router and at a subgraph reached directly,
// and its open subscription ends. A rotated-out key's tokens work for the grace and no longer.
// Forged tokens (alg none, HS256 keyed with the public key, a key of their own) are refused.
import {
  SignJWT,
  UnsecuredJWT,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  importJWK,
  type JWK,
} from 'jose';
import { DEMO_USER_DEFAULTS } from '@supergraph/kit';
import { graphql, waitFor } from '@supergraph/kit/testing';
import { startSupergraph, type Supergraph } from '../harness.js';
import { subscribeWs, untilOpenSubscriptions, wsClient } from '../realtime.js';

/** Tokens of a rotated-out key are accepted this long. */
const GRACE_SECONDS = 4;
/** A hang guard: revocations reach the router and subgraphs by a 2 s poll. */
const REVOCATION_WAIT_MS = 30_000;

const PAYLOAD = 'token refreshToken session { id }';

let supergraph: Supergraph;
beforeAll(async () => {
  supergraph = await startSupergraph({
    env: { DEMO_USER: 'true', SIGNING_KEY_GRACE_SECONDS: String(GRACE_SECONDS) },
  });
});
afterAll(() => supergraph.close());

async function signIn() {
  const email = `auth-${Date.now()}-${Math.random()}@example.com`;
  const { data, errors } = await graphql(supergraph.url, {
    query: `mutation($i: SignUpInput!) { signUp(input: $i) { ${PAYLOAD} } }`,
    variables: { i: { email, password: 'a long password' } },
  });
  expect(errors).toBeUndefined();
  return data!['signUp'] as { token: string; refreshToken: string; session: { id: string } };
}

const refresh = (refreshToken: string) =>
  graphql(supergraph.url, {
    query: `mutation($t: String!) { refreshSession(refreshToken: $t) { ${PAYLOAD} } }`,
    variables: { t: refreshToken },
  });

const codes = (result: { errors?: readonly { extensions?: Record<string, unknown> }[] }) =>
  (result.errors ?? []).map((error) => error.extensions?.['code']);

describe('a stolen refresh token', () => {
  it('ends the session for thief and owner once either uses it a second time', async () => {
    const owner = await signIn();
    // The thief refreshes first, with a copy of the owner's token.
    const thief = await refresh(owner.refreshToken);
    expect(thief.errors).toBeUndefined();
    const thiefNext = thief.data!['refreshSession'].refreshToken as string;
    // The owner's refresh is a second use: the session ends.
    const ownerTry = await refresh(owner.refreshToken);
    expect(codes(ownerTry)).toEqual(['UNAUTHENTICATED']);
    // The thief's newer token is worthless now.
    expect(codes(await refresh(thiefNext))).toEqual(['UNAUTHENTICATED']);
    // The owner's access token is refused too: its session has ended.
    const listed = await graphql(supergraph.url, {
      query: '{ sessions { id } }',
      token: owner.token,
    });
    expect(codes(listed)).toEqual(['UNAUTHENTICATED']);
  });

  it('gives garbage and forged refresh tokens the same refusal, and ends nothing', async () => {
    const owner = await signIn();
    for (const token of ['', 'x', owner.refreshToken.slice(0, -1), 'A'.repeat(10_000)]) {
      expect(codes(await refresh(token))).toEqual(['UNAUTHENTICATED']);
    }
    expect((await refresh(owner.refreshToken)).errors).toBeUndefined();
  });
});

/** Whether `token` is refused at `url` (the router, or a subgraph reached directly). */
const refusedAt = async (url: string, token: string) =>
  codes(await graphql(url, { query: '{ __typename }', token }))[0] === 'UNAUTHENTICATED';

describe('a revoked session', () => {
  it('stops its access token at the router and the subgraphs, and ends its subscription', async () => {
    const { token } = await signIn();
    const client = wsClient(supergraph.url, token);
    try {
      const events = subscribeWs(client, {
        query: 'subscription { memoryEvents { type } }',
      });
      await untilOpenSubscriptions(supergraph.services.memory, 1);
      expect(await refusedAt(supergraph.url, token)).toBe(false);

      const logout = await graphql(supergraph.url, { query: 'mutation { logout }', token });
      expect(logout.data).toEqual({ logout: true });

      await waitFor(
        async () =>
          (await refusedAt(supergraph.url, token)) &&
          (await refusedAt(supergraph.subgraphUrls.memory, token)) &&
          (await refusedAt(supergraph.subgraphUrls.provider, token)),
        'the revoked token refused at the router and the subgraphs',
        REVOCATION_WAIT_MS,
      );
      const refusal = await graphql(supergraph.url, { query: '{ me { id } }', token });
      expect(refusal.errors![0]!.message).toMatch(/session has ended/);

      await events.done;
      const last = events.results.at(-1)!;
      expect(codes(last)).toEqual(['UNAUTHENTICATED']);
      expect(last.errors![0]!.message).toMatch(/session has ended/);
      await untilOpenSubscriptions(supergraph.services.memory, 0, REVOCATION_WAIT_MS);
    } finally {
      await client.dispose();
    }
  }, 120_000);
});

describe('signing key rotation', () => {
  it("accepts the previous key's tokens during the grace, and refuses them after", async () => {
    const admin = await graphql(supergraph.url, {
      query: 'mutation($i: LoginInput!) { login(input: $i) { token } }',
      variables: { i: { email: DEMO_USER_DEFAULTS.email, password: DEMO_USER_DEFAULTS.password } },
    });
    const adminToken = admin.data!['login'].token as string;
    const old = await signIn();
    const rotated = await graphql(supergraph.url, {
      query: 'mutation { rotateSigningKey { kid status } }',
      token: adminToken,
    });
    expect(rotated.errors).toBeUndefined();
    // Signed by the key that was published a rotation ahead: every verifier knows it already.
    const fresh = await signIn();
    expect(await refusedAt(supergraph.url, fresh.token)).toBe(false);
    expect(await refusedAt(supergraph.subgraphUrls.memory, fresh.token)).toBe(false);
    // The previous key, within its grace.
    expect(await refusedAt(supergraph.url, old.token)).toBe(false);

    await waitFor(
      async () =>
        (await refusedAt(supergraph.url, old.token)) &&
        (await refusedAt(supergraph.subgraphUrls.memory, old.token)),
      "the rotated-out key's token refused after its grace",
      REVOCATION_WAIT_MS,
    );
    const refusal = await graphql(supergraph.url, { query: '{ me { id } }', token: old.token });
    expect(refusal.errors![0]!.message).toMatch(/retired signing key/);
    expect(await refusedAt(supergraph.url, fresh.token)).toBe(false);
  }, 120_000);
});

describe('forged tokens', () => {
  const claims = (userId: string) => ({
    sub: userId,
    scope: '*',
    iss: 'urn:supergraph:security',
    aud: 'urn:supergraph',
    iat: Math.floor(Date.now() / 1000),
    exp: Math.floor(Date.now() / 1000) + 600,
  });

  it('are refused at the router and the subgraphs, which stay up', async () => {
    const jwksUrl = supergraph.subgraphUrls.security.replace('/graphql', '/.well-known/jwks.json');
    const [published] = ((await (await fetch(jwksUrl)).json()) as { keys: JWK[] }).keys;
    const victim = await signIn();
    const userId = (await graphql(supergraph.url, { query: '{ me { id } }', token: victim.token }))
      .data!['me'].id as string;
    const attacker = await generateKeyPair('ES256', { extractable: true });
    const publicPem = await exportSPKI((await importJWK(published!, 'ES256')) as CryptoKey);
    const forged = [
      new UnsecuredJWT(claims(userId)).encode(),
      await new SignJWT(claims(userId))
        .setProtectedHeader({ alg: 'HS256', kid: published!.kid, typ: 'JWT' })
        .sign(new TextEncoder().encode(publicPem)),
      await new SignJWT(claims(userId))
        .setProtectedHeader({
          alg: 'ES256',
          typ: 'JWT',
          jwk: await exportJWK(attacker.publicKey),
        })
        .sign(attacker.privateKey),
      await new SignJWT(claims(userId))
        .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: 'attacker', jku: `${jwksUrl}?x=1` })
        .sign(attacker.privateKey),
    ];
    const outcomes = [];
    for (const token of forged) {
      for (const url of [supergraph.url, supergraph.subgraphUrls.memory]) {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: '{ __typename }' }),
        });
        const body = (await response.json()) as Parameters<typeof codes>[0];
        outcomes.push({ status: response.status, codes: codes(body) });
      }
    }
    expect(outcomes).toEqual(
      forged.flatMap(() => [0, 1].map(() => ({ status: 401, codes: ['UNAUTHENTICATED'] }))),
    );
    expect(await refusedAt(supergraph.url, victim.token)).toBe(false);
  });
});
