// Single sign-on with OpenID Connect, end to end against a real OpenID provider (oidc-provider
// in a child process) with the browser's part played over HTTP: administrators configure
// providers; a first sign-in creates the user, later ones find it by (issuer, subject); state,
// PKCE and single use are enforced; an unverified email never links to an existing account.
import { createServer } from 'node:net';
import { errorCodes, graphql } from '@supergraph/kit/testing';
import type { SecurityConfig } from '../src/config.js';
import { createSecuritySubgraph } from '../src/subgraph.js';
import { testSecurityConfig } from './config.js';
import { SIGN_IN_THROTTLE_DEFAULTS } from '../src/sign-in-throttle-settings.js';
import {
  signInAtProvider,
  startTestIdentityProvider,
  type TestAccount,
  type TestIdentityProvider,
} from './oidc-test-provider.js';

const ADMIN = { email: 'admin@example.com', password: 'admin password' };
const REDIRECT_URI = 'http://localhost:4000/';
const CLIENT = { clientId: 'supergraph', clientSecret: 'a client secret of the test' };

const config = (): SecurityConfig =>
  testSecurityConfig({
    signInThrottle: { ...SIGN_IN_THROTTLE_DEFAULTS, accountFailures: 100 },
    demoUser: ADMIN,
    sso: {
      redirectUris: [REDIRECT_URI],
      loginTtlSeconds: 600,
      allowHttpIssuers: false,
      timeoutSeconds: 5,
    },
  });

const SETTINGS = 'id slug name issuer clientId scopes enabled';
const CREATE = `mutation($input: CreateIdentityProviderInput!) { createIdentityProvider(input: $input) { ${SETTINGS} } }`;
const UPDATE = `mutation($slug: String!, $input: UpdateIdentityProviderInput!) { updateIdentityProvider(slug: $slug, input: $input) { ${SETTINGS} } }`;
const DELETE = `mutation($slug: String!) { deleteIdentityProvider(slug: $slug) { slug } }`;
const START = `mutation($provider: String!, $redirectUri: String!) { startSsoLogin(provider: $provider, redirectUri: $redirectUri) { authorizationUrl state expiresAt } }`;
const FINISH = `mutation($provider: String!, $callbackUrl: String!, $state: String) { finishSsoLogin(provider: $provider, callbackUrl: $callbackUrl, state: $state) { token user { id email } } }`;

interface Started {
  authorizationUrl: string;
  state: string;
  expiresAt: string;
}

/** A port nothing listens on: one the system gave and took back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('single sign-on with OpenID Connect', () => {
  let subgraph: Awaited<ReturnType<typeof createSecuritySubgraph>>;
  let idp: TestIdentityProvider;
  let adminToken: string;

  const call = (query: string, variables?: Record<string, unknown>, token?: string) =>
    graphql(subgraph.yoga, { query, variables, token });

  beforeAll(async () => {
    [subgraph, idp] = await Promise.all([
      createSecuritySubgraph(config()),
      startTestIdentityProvider({ ...CLIENT, redirectUri: REDIRECT_URI }),
    ]);
    const login = await call('mutation($input: LoginInput!) { login(input: $input) { token } }', {
      input: ADMIN,
    });
    adminToken = (login.data!.login as { token: string }).token;
    const created = await call(
      CREATE,
      { input: { slug: 'test-idp', name: 'Test IdP', issuer: idp.issuer, ...CLIENT } },
      adminToken,
    );
    expect(created.errors).toBeUndefined();
  });
  afterAll(async () => {
    await Promise.all([subgraph?.close(), idp?.close()]);
  });

  async function start(provider = 'test-idp'): Promise<Started> {
    const result = await call(START, { provider, redirectUri: REDIRECT_URI });
    expect(result.errors).toBeUndefined();
    return result.data!.startSsoLogin as Started;
  }
  const finish = (callbackUrl: string, state?: string, provider = 'test-idp') =>
    call(FINISH, { provider, callbackUrl, state });
  const signInAs = async (account: TestAccount) => {
    const started = await start();
    const callbackUrl = await signInAtProvider(started.authorizationUrl, account, REDIRECT_URI);
    return { started, callbackUrl };
  };

  it('lets administrators configure providers, never returns the secret, and lists enabled ones to anyone', async () => {
    const input = {
      slug: 'other',
      name: 'Other',
      issuer: 'https://login.example.com',
      clientId: 'id',
      clientSecret: 'secret',
      scopes: ['email'],
    };
    expect(errorCodes(await call(CREATE, { input }))).toEqual(['UNAUTHENTICATED']);
    const created = await call(CREATE, { input }, adminToken);
    expect(created.errors).toBeUndefined();
    expect(created.data!.createIdentityProvider).toMatchObject({
      slug: 'other',
      issuer: 'https://login.example.com',
      scopes: ['openid', 'email'],
      enabled: true,
    });
    expect(errorCodes(await call(CREATE, { input }, adminToken))).toEqual(['CONFLICT']);
    // The secret is write-only: the schema has no field that returns it.
    const secret = await call('{ identityProviderSettings { clientSecret } }', {}, adminToken);
    expect(errorCodes(secret)).toEqual(['GRAPHQL_VALIDATION_FAILED']);

    const listed = async () =>
      (await call('{ identityProviders { slug name } }')).data!.identityProviders;
    expect(await listed()).toEqual([
      { slug: 'other', name: 'Other' },
      { slug: 'test-idp', name: 'Test IdP' },
    ]);
    const disabled = await call(UPDATE, { slug: 'other', input: { enabled: false } }, adminToken);
    expect(disabled.data!.updateIdentityProvider).toMatchObject({ enabled: false, name: 'Other' });
    expect(await listed()).toEqual([{ slug: 'test-idp', name: 'Test IdP' }]);
    const refused = await call(START, { provider: 'other', redirectUri: REDIRECT_URI });
    expect(errorCodes(refused)).toEqual(['NOT_FOUND']);

    expect((await call(DELETE, { slug: 'other' }, adminToken)).errors).toBeUndefined();
    expect(errorCodes(await call(DELETE, { slug: 'other' }, adminToken))).toEqual(['NOT_FOUND']);
    const all = await call('{ identityProviderSettings { slug } }', {}, adminToken);
    expect(all.data!.identityProviderSettings).toEqual([{ slug: 'test-idp' }]);
  });

  it('refuses invalid provider settings and stores nothing', async () => {
    const valid = { slug: 'bad', name: 'Bad', issuer: 'https://x.example', ...CLIENT };
    for (const [field, value] of [
      ['slug', 'Not A Slug'],
      ['issuer', 'ftp://x.example'],
      ['issuer', 'http://idp.example.com'],
      ['name', ' '],
      ['clientId', ''],
      ['scopes', ['a b']],
    ] as const) {
      const result = await call(CREATE, { input: { ...valid, [field]: value } }, adminToken);
      expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
      expect(String(result.errors![0]!.extensions!.field)).toMatch(new RegExp(`^input\\.${field}`));
    }
    const all = await call('{ identityProviderSettings { slug } }', {}, adminToken);
    expect(all.data!.identityProviderSettings).toEqual([{ slug: 'test-idp' }]);
  });

  it('refuses a redirect URI outside the allow-list', async () => {
    const result = await call(START, {
      provider: 'test-idp',
      redirectUri: 'https://attacker.example/',
    });
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0]!.extensions!.field).toBe('redirectUri');
  });

  it('starts with PKCE (S256), state and nonce at the provider', async () => {
    const started = await start();
    const url = new URL(started.authorizationUrl);
    expect(url.origin).toBe(idp.issuer);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('state')).toBe(started.state);
    expect(url.searchParams.get('nonce')).toBeTruthy();
    expect(url.searchParams.get('redirect_uri')).toBe(REDIRECT_URI);
    expect(url.searchParams.get('scope')).toBe('openid email profile');
  });

  it('creates the user at the first sign-in and finds the same user at the next, even with a new email', async () => {
    const account = {
      sub: 'alice-1',
      email: 'Alice@IdP.example',
      emailVerified: true,
      name: 'Alice',
    };
    const first = await signInAs(account);
    const signedIn = await finish(first.callbackUrl, first.started.state);
    expect(signedIn.errors).toBeUndefined();
    const payload = signedIn.data!.finishSsoLogin as { token: string; user: { id: string } };
    const me = await call('{ me { id email displayName roles } }', {}, payload.token);
    expect(me.data!.me).toEqual({
      id: payload.user.id,
      email: 'alice@idp.example',
      displayName: 'Alice',
      roles: ['member'],
    });

    const again = await signInAs({ ...account, email: 'alice.new@idp.example' });
    const second = await finish(again.callbackUrl);
    expect(second.errors).toBeUndefined();
    expect((second.data!.finishSsoLogin as { user: { id: string } }).user.id).toBe(payload.user.id);
  });

  it('refuses a callback whose state is not the one this browser started with', async () => {
    const mine = await start();
    const planted = await signInAs({ sub: 'mallory', email: 'm@idp.example', emailVerified: true });
    const result = await finish(planted.callbackUrl, mine.state);
    expect(errorCodes(result)).toEqual(['UNAUTHENTICATED']);
    expect(result.errors![0]!.message).toMatch(/state/);
  });

  it('refuses a code exchanged with another sign-in’s PKCE verifier', async () => {
    const account = { sub: 'bob', email: 'bob@idp.example', emailVerified: true };
    const other = await start();
    const { callbackUrl } = await signInAs(account);
    // The code of one sign-in, sent with the state (so the verifier) of another.
    const swapped = new URL(callbackUrl);
    swapped.searchParams.set('state', other.state);
    const result = await finish(swapped.href);
    expect(errorCodes(result)).toEqual(['UNAUTHENTICATED']);
    expect(result.errors![0]!.message).toMatch(/refused the sign-in code: invalid_grant/);
  });

  it('refuses an ID token whose nonce is not the one of the sign-in', async () => {
    const started = await start();
    // Someone between the browser and the provider swapped the nonce: the provider's ID
    // token then carries theirs.
    const tampered = new URL(started.authorizationUrl);
    tampered.searchParams.set('nonce', 'a nonce of someone else');
    const callbackUrl = await signInAtProvider(
      tampered.href,
      { sub: 'frank', email: 'frank@idp.example', emailVerified: true },
      REDIRECT_URI,
    );
    const result = await finish(callbackUrl, started.state);
    expect(errorCodes(result)).toEqual(['UNAUTHENTICATED']);
    expect(result.errors![0]!.message).toMatch(/nonce/);
  });

  it('uses each state once', async () => {
    const { callbackUrl } = await signInAs({
      sub: 'carol',
      email: 'carol@idp.example',
      emailVerified: true,
    });
    expect((await finish(callbackUrl)).errors).toBeUndefined();
    const replay = await finish(callbackUrl);
    expect(errorCodes(replay)).toEqual(['UNAUTHENTICATED']);
    expect(replay.errors![0]!.message).toMatch(/unknown, expired or already finished/);
    expect(errorCodes(await finish(`${REDIRECT_URI}?code=x&state=made-up`))).toEqual([
      'UNAUTHENTICATED',
    ]);
  });

  it('links to an existing password account only when the provider verified the email', async () => {
    const input = { email: 'dave@example.com', password: 'dave password' };
    const signUp = await call(
      'mutation($input: SignUpInput!) { signUp(input: $input) { user { id } } }',
      { input },
    );
    const userId = (signUp.data!.signUp as { user: { id: string } }).user.id;

    const unverified = await signInAs({ sub: 'dave-x', email: input.email, emailVerified: false });
    const refused = await finish(unverified.callbackUrl);
    expect(errorCodes(refused)).toEqual(['CONFLICT']);
    expect(refused.errors![0]!.message).toMatch(/not verified/);
    // Nothing was linked: the same account is refused again, and the password still works.
    const retried = await signInAs({ sub: 'dave-x', email: input.email, emailVerified: false });
    expect(errorCodes(await finish(retried.callbackUrl))).toEqual(['CONFLICT']);
    const login = await call(
      'mutation($input: LoginInput!) { login(input: $input) { user { id } } }',
      {
        input,
      },
    );
    expect(login.errors).toBeUndefined();

    const verified = await signInAs({ sub: 'dave-y', email: input.email, emailVerified: true });
    const linked = await finish(verified.callbackUrl);
    expect(linked.errors).toBeUndefined();
    expect((linked.data!.finishSsoLogin as { user: { id: string } }).user.id).toBe(userId);
  });

  it('answers UPSTREAM_UNAVAILABLE when the provider cannot be reached', async () => {
    const input = {
      slug: 'down',
      name: 'Down',
      issuer: `http://127.0.0.1:${await closedPort()}`,
      ...CLIENT,
    };
    expect((await call(CREATE, { input }, adminToken)).errors).toBeUndefined();
    const result = await call(START, { provider: 'down', redirectUri: REDIRECT_URI });
    expect(errorCodes(result)).toEqual(['UPSTREAM_UNAVAILABLE']);
    await call(DELETE, { slug: 'down' }, adminToken);
  });

  it('refuses a callback finished with another provider, an unknown one, or no URL', async () => {
    const twin = { slug: 'twin', name: 'Twin', issuer: idp.issuer, ...CLIENT };
    expect((await call(CREATE, { input: twin }, adminToken)).errors).toBeUndefined();
    const { callbackUrl } = await signInAs({
      sub: 'erin',
      email: 'e@idp.example',
      emailVerified: true,
    });
    const other = await finish(callbackUrl, undefined, 'twin');
    expect(errorCodes(other)).toEqual(['UNAUTHENTICATED']);
    expect(other.errors![0]!.message).toMatch(/another identity provider/);
    await call(DELETE, { slug: 'twin' }, adminToken);
    expect(errorCodes(await finish(callbackUrl, undefined, 'nobody'))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await finish('not a url'))).toEqual(['BAD_USER_INPUT']);
  });
});
