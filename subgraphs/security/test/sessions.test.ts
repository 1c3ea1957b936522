// Sessions: a sign-in starts one and gives a refresh token; each refresh token works once,
// for the next; a refresh token used twice ends its session (theft detection); logout, a
// user's own revocation and an administrator's end sessions and their refresh tokens.
import { createLocalVerifier } from '@supergraph/kit';
import { errorCodes, graphql } from '@supergraph/kit/testing';
import type { SecurityConfig } from '../src/config.js';
import { testSecurityConfig } from './config.js';
import { SIGN_IN_THROTTLE_DEFAULTS } from '../src/sign-in-throttle-settings.js';
import { createSecuritySubgraph } from '../src/subgraph.js';

const ADMIN = { email: 'admin@example.com', password: 'admin password' };

const config = (): SecurityConfig =>
  testSecurityConfig({
    signInThrottle: { ...SIGN_IN_THROTTLE_DEFAULTS, accountFailures: 100 },
    demoUser: ADMIN,
  });

const PAYLOAD = 'token refreshToken refreshTokenExpiresAt session { id current } user { id }';
const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { ${PAYLOAD} } }`;
const SIGN_UP = `mutation($input: SignUpInput!) { signUp(input: $input) { ${PAYLOAD} } }`;
const REFRESH = `mutation($t: String!) { refreshSession(refreshToken: $t) { ${PAYLOAD} } }`;
const SESSIONS = '{ sessions { id current createdAt lastUsedAt expiresAt } }';

interface Payload {
  token: string;
  refreshToken: string;
  refreshTokenExpiresAt: string;
  session: { id: string; current: boolean };
  user: { id: string };
}

describe('sessions and refresh tokens', () => {
  let subgraph: Awaited<ReturnType<typeof createSecuritySubgraph>>;
  beforeAll(async () => {
    subgraph = await createSecuritySubgraph(config());
  });
  afterAll(() => subgraph.close());

  const call = (query: string, variables?: Record<string, unknown>, token?: string) =>
    graphql(subgraph.yoga, { query, variables, token });

  let accounts = 0;
  async function signUp(): Promise<Payload & { input: { email: string; password: string } }> {
    const input = { email: `user${(accounts += 1)}@example.com`, password: 'long enough' };
    const { data, errors } = await call(SIGN_UP, { input });
    expect(errors).toBeUndefined();
    return { ...(data!.signUp as Payload), input };
  }
  const refresh = async (refreshToken: string) => call(REFRESH, { t: refreshToken });

  it('gives a refresh token with every sign-in, and access tokens that name their session', async () => {
    const first = await signUp();
    expect(first.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Date(first.refreshTokenExpiresAt).getTime()).toBeGreaterThan(Date.now());
    const login = (await call(LOGIN, { input: first.input })).data!.login as Payload;
    expect(login.session.id).not.toBe(first.session.id);
    const jwks = await (await subgraph.yoga.fetch('http://localhost/.well-known/jwks.json')).json();
    const verifier = createLocalVerifier(() => jwks, {
      issuer: 'urn:supergraph:security',
      audience: 'urn:supergraph',
    });
    expect((await verifier.verify(login.token)).sessionId).toBe(login.session.id);
  });

  it('exchanges each refresh token once, for the next one of the same session', async () => {
    const start = await signUp();
    const next = await refresh(start.refreshToken);
    expect(next.errors).toBeUndefined();
    const renewed = next.data!.refreshSession as Payload;
    expect(renewed.session.id).toBe(start.session.id);
    expect(renewed.refreshToken).not.toBe(start.refreshToken);
    expect(renewed.user.id).toBe(start.user.id);
    const me = await call('{ me { id } }', undefined, renewed.token);
    expect(me.data!.me).toEqual({ id: start.user.id });
    // And the next one works in turn.
    expect((await refresh(renewed.refreshToken)).errors).toBeUndefined();
  });

  it('ends the whole session when a refresh token is used twice', async () => {
    const start = await signUp();
    const renewed = (await refresh(start.refreshToken)).data!.refreshSession as Payload;
    // The first token again: someone else holds a copy of it.
    const reuse = await refresh(start.refreshToken);
    expect(errorCodes(reuse)).toEqual(['UNAUTHENTICATED']);
    expect(reuse.errors![0]!.message).toMatch(/already used/);
    // The legitimate holder's newer token is refused too: the family has ended.
    expect(errorCodes(await refresh(renewed.refreshToken))).toEqual(['UNAUTHENTICATED']);
    // And so is its access token, at once here (the revocation list of this subgraph).
    const listed = await call(SESSIONS, undefined, renewed.token);
    expect(errorCodes(listed)).toEqual(['UNAUTHENTICATED']);
    expect(listed.errors![0]!.message).toMatch(/session has ended/);
  });

  it('lets exactly one of two concurrent exchanges of one token through', async () => {
    const start = await signUp();
    const results = await Promise.all([refresh(start.refreshToken), refresh(start.refreshToken)]);
    const succeeded = results.filter((result) => !result.errors);
    expect(succeeded).toHaveLength(1);
    expect(errorCodes(results.find((result) => result.errors)!)).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses unknown refresh tokens', async () => {
    expect(errorCodes(await refresh('not-a-token'))).toEqual(['UNAUTHENTICATED']);
  });

  it("lists a user's live sessions, marks the current one, and revokes one", async () => {
    const first = await signUp();
    const second = (await call(LOGIN, { input: first.input })).data!.login as Payload;
    const listed = (await call(SESSIONS, undefined, second.token)).data!.sessions as {
      id: string;
      current: boolean;
    }[];
    expect(listed.map(({ id, current }) => [id, current]).sort()).toEqual(
      [
        [first.session.id, false],
        [second.session.id, true],
      ].sort(),
    );
    const revoked = await call(
      'mutation($id: ID!) { revokeSession(id: $id) { id } }',
      { id: first.session.id },
      second.token,
    );
    expect(revoked.data!.revokeSession).toEqual({ id: first.session.id });
    expect(errorCodes(await refresh(first.refreshToken))).toEqual(['UNAUTHENTICATED']);
    const after = (await call(SESSIONS, undefined, second.token)).data!.sessions as {
      id: string;
    }[];
    expect(after.map(({ id }) => id)).toEqual([second.session.id]);
    // Someone else's session is not found, and stays.
    const other = await signUp();
    const foreign = await call(
      'mutation($id: ID!) { revokeSession(id: $id) { id } }',
      { id: other.session.id },
      second.token,
    );
    expect(errorCodes(foreign)).toEqual(['NOT_FOUND']);
    expect((await refresh(other.refreshToken)).errors).toBeUndefined();
  });

  it('logs out: the session of the token ends', async () => {
    const start = await signUp();
    const out = await call('mutation { logout }', undefined, start.token);
    expect(out.data!.logout).toBe(true);
    expect(errorCodes(await refresh(start.refreshToken))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await call('mutation { logout }'))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await call(SESSIONS))).toEqual(['UNAUTHENTICATED']);
  });

  it("lets an administrator end all of a user's sessions, and nobody else", async () => {
    const user = await signUp();
    const again = (await call(LOGIN, { input: user.input })).data!.login as Payload;
    const REVOKE_ALL = 'mutation($u: ID!) { revokeUserSessions(userId: $u) }';
    const refused = await call(REVOKE_ALL, { u: user.user.id }, user.token);
    expect(errorCodes(refused)).toEqual(['FORBIDDEN']);
    expect((await refresh(again.refreshToken)).errors).toBeUndefined();

    const admin = (await call(LOGIN, { input: ADMIN })).data!.login as Payload;
    const ended = await call(REVOKE_ALL, { u: user.user.id }, admin.token);
    expect(ended.data!.revokeUserSessions).toBe(2);
    expect(errorCodes(await refresh(user.refreshToken))).toEqual(['UNAUTHENTICATED']);
  });
});
