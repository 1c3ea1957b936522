// Signing keys rotate: the next key is published before it signs; a rotated-out key's tokens
// stay accepted for the grace and are refused after it (or at once on demand); rotation also
// runs on a schedule. Revocations are served at /revocations for the other services' verifiers.
import { decodeProtectedHeader } from 'jose';
import type { RevocationFeedPage } from '@supergraph/kit';
import { errorCodes, graphql, waitFor } from '@supergraph/kit/testing';
import { createSecuritySubgraph } from '../src/subgraph.js';
import { testSecurityConfig } from './config.js';

const ADMIN = { email: 'admin@example.com', password: 'admin password' };
const GRACE_SECONDS = 3;
const LOGIN = 'mutation($i: LoginInput!) { login(input: $i) { token session { id } } }';
const KEYS = '{ signingKeys { kid status acceptedUntil } }';
const ROTATE =
  'mutation($now: Boolean) { rotateSigningKey(retirePreviousNow: $now) { kid status } }';

type Subgraph = Awaited<ReturnType<typeof createSecuritySubgraph>>;
interface Key {
  kid: string;
  status: 'NEXT' | 'CURRENT' | 'RETIRED';
  acceptedUntil: string | null;
}

const kidOf = (token: string) => decodeProtectedHeader(token).kid!;
const jwksKids = async (subgraph: Subgraph) =>
  (
    (await (await subgraph.yoga.fetch('http://localhost/.well-known/jwks.json')).json()) as {
      keys: { kid: string }[];
    }
  ).keys.map((key) => key.kid);

describe('signing keys on demand', () => {
  let subgraph: Subgraph;
  let admin: string;
  beforeAll(async () => {
    subgraph = await createSecuritySubgraph(
      testSecurityConfig({ demoUser: ADMIN }, { SIGNING_KEY_GRACE_SECONDS: String(GRACE_SECONDS) }),
    );
    admin = (await graphql(subgraph.yoga, { query: LOGIN, variables: { i: ADMIN } })).data!.login
      .token;
  });
  afterAll(() => subgraph.close());

  const call = (query: string, token?: string, variables?: Record<string, unknown>) =>
    graphql(subgraph.yoga, { query, token, variables });
  const signIn = async () =>
    (await call(LOGIN, undefined, { i: ADMIN })).data!.login.token as string;
  const me = (token: string) => call('{ me { id } }', token);

  it('lists the published keys to administrators only', async () => {
    const keys = (await call(KEYS, admin)).data!.signingKeys as Key[];
    expect(keys.map((key) => key.status).sort()).toEqual(['CURRENT', 'NEXT']);
    expect(keys.find((key) => key.status === 'CURRENT')!.kid).toBe(kidOf(admin));
    expect((await jwksKids(subgraph)).sort()).toEqual(keys.map((key) => key.kid).sort());
    const member = (
      await call(
        'mutation { signUp(input: { email: "m@example.com", password: "long enough" }) { token } }',
      )
    ).data!.signUp.token as string;
    expect(errorCodes(await call(KEYS, member))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await call(ROTATE, member))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await call(ROTATE))).toEqual(['UNAUTHENTICATED']);
  });

  it('signs with the key published ahead, and accepts the old key only for its grace', async () => {
    const before = (await call(KEYS, admin)).data!.signingKeys as Key[];
    const next = before.find((key) => key.status === 'NEXT')!.kid;
    const old = await signIn();
    const rotated = await call(ROTATE, admin);
    expect(rotated.errors).toBeUndefined();
    const after = rotated.data!.rotateSigningKey as Key[];
    expect(after.find((key) => key.status === 'CURRENT')!.kid).toBe(next);
    expect(after.find((key) => key.kid === kidOf(old))!.status).toBe('RETIRED');
    // A new next key is published before it ever signs.
    const newNext = after.find((key) => key.status === 'NEXT')!.kid;
    expect(await jwksKids(subgraph)).toEqual(expect.arrayContaining([kidOf(old), next, newNext]));

    const fresh = await signIn();
    expect(kidOf(fresh)).toBe(next);
    // During the grace, the old key's token still works.
    expect((await me(old)).errors).toBeUndefined();
    // After it, it is refused (not for its expiry: it has 15 minutes left) and unpublished.
    await waitFor(
      async () => errorCodes(await me(old))[0] === 'UNAUTHENTICATED',
      "the retired key's token refused",
    );
    expect((await me(old)).errors![0]!.message).toMatch(/retired signing key/);
    expect(await jwksKids(subgraph)).not.toContain(kidOf(old));
    expect((await me(fresh)).errors).toBeUndefined();
  });

  it('refuses the old key at once when asked to (a leaked key)', async () => {
    const old = await signIn();
    const caller = await signIn();
    const rotated = await call(ROTATE, caller, { now: true });
    expect(rotated.errors).toBeUndefined();
    expect(errorCodes(await me(old))).toEqual(['UNAUTHENTICATED']);
    expect(await jwksKids(subgraph)).not.toContain(kidOf(old));
    expect((await me(await signIn())).errors).toBeUndefined();
  });
});

describe('signing keys on a schedule', () => {
  let subgraph: Subgraph;
  afterAll(() => subgraph.close());

  it('rotates by itself once the current key has signed long enough', async () => {
    subgraph = await createSecuritySubgraph(
      testSecurityConfig(
        { demoUser: ADMIN },
        { SIGNING_KEY_ROTATION_SECONDS: '1', SIGNING_KEY_REFRESH_MS: '200' },
      ),
    );
    const first = (await graphql(subgraph.yoga, { query: LOGIN, variables: { i: ADMIN } })).data!
      .login.token as string;
    let latest = first;
    await waitFor(async () => {
      const login = await graphql(subgraph.yoga, { query: LOGIN, variables: { i: ADMIN } });
      latest = login.data!.login.token;
      return kidOf(latest) !== kidOf(first);
    }, 'a scheduled rotation');
    // Both still verify: the first key is in its grace (the token lifetime by default).
    for (const token of [first, latest]) {
      expect((await graphql(subgraph.yoga, { query: '{ me { id } }', token })).errors).toBe(
        undefined,
      );
    }
  });
});

describe('the revocation feed', () => {
  let subgraph: Subgraph;
  beforeAll(async () => {
    subgraph = await createSecuritySubgraph(testSecurityConfig({ demoUser: ADMIN }));
  });
  afterAll(() => subgraph.close());

  const feed = async (since?: string) => {
    const response = await subgraph.yoga.fetch(
      `http://localhost/revocations${since === undefined ? '' : `?since=${since}`}`,
    );
    return { status: response.status, body: (await response.json()) as RevocationFeedPage };
  };

  it('serves an ended session from the moment it ends, and pages by cursor', async () => {
    const { body: start } = await feed();
    const login = await graphql(subgraph.yoga, { query: LOGIN, variables: { i: ADMIN } });
    const { token, session } = login.data!.login as { token: string; session: { id: string } };
    expect((await graphql(subgraph.yoga, { query: 'mutation { logout }', token })).data).toEqual({
      logout: true,
    });
    const { status, body } = await feed(start.cursor);
    expect(status).toBe(200);
    expect(body.revocations).toEqual([
      { kind: 'session', id: session.id, until: expect.any(String) },
    ]);
    // Held until the last access token of the session has expired (15 minutes by default).
    expect(Date.parse(body.revocations[0]!.until)).toBeGreaterThan(Date.now() + 14 * 60_000);
  });

  it('refuses a malformed cursor with a coded error', async () => {
    const { status, body } = await feed('yesterday');
    expect(status).toBe(400);
    expect(body).toMatchObject({ errors: [{ extensions: { code: 'BAD_USER_INPUT' } }] });
  });
});
