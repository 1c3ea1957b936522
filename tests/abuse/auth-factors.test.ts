// Attacks on the sign-in steps after the password, through the router: a TOTP code replayed on
// a new challenge, a recovery code used twice, a single sign-on finished with another sign-in's
// PKCE verifier or a planted callback's state, and floods of the sign-in steps from one
// address (the address's budget of credential attempts). A login answering MFA_REQUIRED is no
// failed password for its account. (The 11th wrong password for one account within a minute
// is tests/abuse/rate-limits.test.ts.) Each test sends from an address of its own, as a proxy
// in front of the router would forward it, so that one test's attempts are not another's.
import { DEMO_USER_DEFAULTS } from '@supergraph/kit';
import { errorCodes, graphql, type Result } from '@supergraph/kit/testing';
import { authenticator } from 'otplib';
import {
  signInAtProvider,
  startTestIdentityProvider,
  type TestAccount,
  type TestIdentityProvider,
} from '../../subgraphs/security/test/oidc-test-provider.js';
import { startSupergraph, type Supergraph } from '../harness.js';

const REDIRECT_URI = 'http://localhost:4000/';
const CLIENT = { clientId: 'supergraph', clientSecret: 'a client secret of the test' };
/** The router's defaults: failed passwords per account, and sign-in attempts per address. */
const ACCOUNT_ATTEMPTS = 10;
const ADDRESS_ATTEMPTS = 30;
/** Longer than the default minute, so that a slow machine cannot see a window end mid-test. */
const ADDRESS_WINDOW_SECONDS = 600;
const TOTP_STEP_MS = 30_000;

const PAYLOAD = 'token refreshToken user { id }';
const SIGN_UP = `mutation($i: SignUpInput!) { signUp(input: $i) { ${PAYLOAD} } }`;
const LOGIN = `mutation($i: LoginInput!) { login(input: $i) { ${PAYLOAD} } }`;
const COMPLETE = `mutation($challenge: String!, $code: String!) {
  completeMfaLogin(challenge: $challenge, code: $code) { ${PAYLOAD} }
}`;
const REFRESH = `mutation($t: String!) { refreshSession(refreshToken: $t) { ${PAYLOAD} } }`;
const START_TOTP = 'mutation { startTotpEnrollment { secret } }';
const CONFIRM_TOTP =
  'mutation($code: String!) { confirmTotpEnrollment(code: $code) { recoveryCodes } }';
const CREATE_PROVIDER = `mutation($input: CreateIdentityProviderInput!) {
  createIdentityProvider(input: $input) { slug }
}`;
const START_SSO = `mutation($provider: String!, $redirectUri: String!) {
  startSsoLogin(provider: $provider, redirectUri: $redirectUri) { authorizationUrl state }
}`;
const FINISH_SSO = `mutation($provider: String!, $callbackUrl: String!, $state: String) {
  finishSsoLogin(provider: $provider, callbackUrl: $callbackUrl, state: $state) { token user { id email } }
}`;

interface Payload {
  token: string;
  refreshToken: string;
  user: { id: string };
}
interface Enrolled {
  credentials: { email: string; password: string };
  token: string;
  secret: string;
  recoveryCodes: string[];
}

let supergraph: Supergraph;
let idp: TestIdentityProvider;
beforeAll(async () => {
  [supergraph, idp] = await Promise.all([
    startSupergraph({
      env: {
        DEMO_USER: 'true',
        SSO_REDIRECT_URIS: REDIRECT_URI,
        // The test plays the proxy: its X-Forwarded-For names the client's address.
        RATE_LIMIT_TRUSTED_PROXY_HOPS: '1',
        // The router's budgets are this file's subject: the security subgraph's own locks
        // (5 failures per account by default) are set no tighter than the router's.
        SIGN_IN_ACCOUNT_FAILURES: String(ACCOUNT_ATTEMPTS),
        SIGN_IN_IP_FAILURES: '1000',
        RATE_LIMIT_LOGIN_IP_WINDOW_SECONDS: String(ADDRESS_WINDOW_SECONDS),
      },
    }),
    startTestIdentityProvider({ ...CLIENT, redirectUri: REDIRECT_URI }),
  ]);
});
afterAll(async () => {
  await Promise.all([supergraph?.close(), idp?.close()]);
});

let addresses = 0;
/** A client address no other test has sent from (TEST-NET-2). */
const newAddress = () => `198.51.100.${(addresses += 1)}`;

type Answer = Result & { status: number; response: Response };

/** One GraphQL call through the router from `from`, with `token` if given. */
const call = (
  from: string,
  query: string,
  variables?: Record<string, unknown>,
  token?: string,
): Promise<Answer> =>
  graphql(supergraph.url, { query, variables, token, headers: { 'x-forwarded-for': from } });

function expectRateLimited(answer: Answer, bucket: string) {
  expect(answer.status).toBe(429);
  expect(errorCodes(answer)).toEqual(['RATE_LIMITED']);
  expect(answer.errors![0]!.extensions).toMatchObject({ bucket });
  expect(answer.response.headers.get('retry-after')).toMatch(/^\d+$/);
}

/** The authenticator app's code of TOTP time step `step` (Unix time / 30 s). */
const codeOf = (secret: string, step: number) =>
  authenticator.clone({ epoch: step * TOTP_STEP_MS }).generate(secret);
const stepNow = () => Math.floor(Date.now() / TOTP_STEP_MS);

let accounts = 0;
async function signUp(from: string) {
  const credentials = {
    email: `factors-${(accounts += 1)}-${Date.now()}@example.com`,
    password: 'a long password',
  };
  const answer = await call(from, SIGN_UP, { i: credentials });
  expect(answer.errors).toBeUndefined();
  return { credentials, ...(answer.data!['signUp'] as Payload) };
}

/** A new account with two-factor sign-in on, enrolled through the router with the code of
 * time step `step`. */
async function enrolled(from: string, step: number): Promise<Enrolled> {
  const { credentials, token } = await signUp(from);
  const started = await call(from, START_TOTP, {}, token);
  expect(started.errors).toBeUndefined();
  const { secret } = started.data!['startTotpEnrollment'] as { secret: string };
  const confirmed = await call(from, CONFIRM_TOTP, { code: codeOf(secret, step) }, token);
  expect(confirmed.errors).toBeUndefined();
  const { recoveryCodes } = confirmed.data!['confirmTotpEnrollment'] as { recoveryCodes: string[] };
  return { credentials, token, secret, recoveryCodes };
}

/** Logs in with the right password of an account with a second factor: its new challenge. */
async function challengeOf(from: string, account: Enrolled): Promise<string> {
  const answer = await call(from, LOGIN, { i: account.credentials });
  expect(errorCodes(answer)).toEqual(['MFA_REQUIRED']);
  expect(answer.data).toBeNull();
  return (answer.errors![0]!.extensions!['mfa'] as { challenge: string }).challenge;
}

const complete = (from: string, challenge: string, code: string) =>
  call(from, COMPLETE, { challenge, code });

describe('two-factor sign-in through the router', () => {
  it('refuses a TOTP code replayed on a new challenge', async () => {
    const from = newAddress();
    // Codes are named by their time step: the server takes ±1 step, and only a step later
    // than the last one it accepted (enrolment spent this one).
    const step = stepNow();
    const account = await enrolled(from, step);
    const code = codeOf(account.secret, step + 1);

    const first = await complete(from, await challengeOf(from, account), code);
    expect(first.errors).toBeUndefined();
    const { token, user } = first.data!['completeMfaLogin'] as Payload;
    const me = await call(from, '{ me { id } }', {}, token);
    expect(me.data).toEqual({ me: { id: user.id } });

    const replayed = await complete(from, await challengeOf(from, account), code);
    expect(errorCodes(replayed)).toEqual(['UNAUTHENTICATED']);
    expect(replayed.errors![0]!.message).toMatch(/already used/);
    expect(replayed.data).toBeNull();
    // An older code than the last one accepted is refused too.
    const older = await complete(
      from,
      await challengeOf(from, account),
      codeOf(account.secret, step),
    );
    expect(errorCodes(older)).toEqual(['UNAUTHENTICATED']);
  });

  it('accepts a recovery code once', async () => {
    const from = newAddress();
    const account = await enrolled(from, stepNow());
    const [recoveryCode] = account.recoveryCodes;

    const first = await complete(from, await challengeOf(from, account), recoveryCode!);
    expect(first.errors).toBeUndefined();
    const { token } = first.data!['completeMfaLogin'] as Payload;
    const status = await call(from, '{ mfaStatus { recoveryCodesLeft } }', {}, token);
    expect(status.data).toEqual({
      mfaStatus: { recoveryCodesLeft: account.recoveryCodes.length - 1 },
    });

    const again = await complete(from, await challengeOf(from, account), recoveryCode!);
    expect(errorCodes(again)).toEqual(['UNAUTHENTICATED']);
    expect(again.data).toBeNull();
  });

  it('does not count a login answering MFA_REQUIRED as a failed password of its account', async () => {
    const from = newAddress();
    const account = await enrolled(from, stepNow());
    // More right-password logins than the account's budget of failures: none is refused.
    for (let attempt = 1; attempt <= ACCOUNT_ATTEMPTS + 2; attempt += 1) {
      await challengeOf(from, account);
    }
    // The budget is whole: ten wrong passwords are answered, the eleventh is refused.
    const wrong = { ...account.credentials, password: 'not the password' };
    for (let attempt = 1; attempt <= ACCOUNT_ATTEMPTS; attempt += 1) {
      expect(errorCodes(await call(from, LOGIN, { i: wrong }))).toEqual(['UNAUTHENTICATED']);
    }
    expectRateLimited(await call(from, LOGIN, { i: wrong }), 'login-account');
  });
});

describe('single sign-on through the router', () => {
  const from = newAddress();
  beforeAll(async () => {
    const login = await call(from, LOGIN.replace(PAYLOAD, 'token'), {
      i: { email: DEMO_USER_DEFAULTS.email, password: DEMO_USER_DEFAULTS.password },
    });
    expect(login.errors).toBeUndefined();
    const adminToken = (login.data!['login'] as { token: string }).token;
    const created = await call(
      from,
      CREATE_PROVIDER,
      { input: { slug: 'test-idp', name: 'Test IdP', issuer: idp.issuer, ...CLIENT } },
      adminToken,
    );
    expect(created.errors).toBeUndefined();
  });

  async function start() {
    const answer = await call(from, START_SSO, { provider: 'test-idp', redirectUri: REDIRECT_URI });
    expect(answer.errors).toBeUndefined();
    return answer.data!['startSsoLogin'] as { authorizationUrl: string; state: string };
  }
  /** A sign-in started at the router and finished at the provider: its callback URL. */
  async function signInAs(account: TestAccount) {
    const started = await start();
    const callbackUrl = await signInAtProvider(started.authorizationUrl, account, REDIRECT_URI);
    return { started, callbackUrl };
  }
  const finish = (callbackUrl: string, state?: string) =>
    call(from, FINISH_SSO, { provider: 'test-idp', callbackUrl, state });

  it('signs a user in with the provider', async () => {
    const { started, callbackUrl } = await signInAs({
      sub: 'grace',
      email: 'grace@idp.example',
      emailVerified: true,
    });
    const answer = await finish(callbackUrl, started.state);
    expect(answer.errors).toBeUndefined();
    const { token, user } = answer.data!['finishSsoLogin'] as Payload & {
      user: { email: string };
    };
    expect(user.email).toBe('grace@idp.example');
    expect((await call(from, '{ me { id } }', {}, token)).data).toEqual({ me: { id: user.id } });
  });

  it('refuses a code exchanged with another sign-in’s PKCE verifier', async () => {
    const other = await start();
    const { callbackUrl } = await signInAs({
      sub: 'heidi',
      email: 'heidi@idp.example',
      emailVerified: true,
    });
    // The code of one sign-in with the state, hence the PKCE verifier, of another.
    const swapped = new URL(callbackUrl);
    swapped.searchParams.set('state', other.state);
    const answer = await finish(swapped.href);
    expect(errorCodes(answer)).toEqual(['UNAUTHENTICATED']);
    expect(answer.errors![0]!.message).toMatch(/invalid_grant/);
    expect(answer.data).toBeNull();
  });

  it('refuses a callback whose state is not the one this browser started with', async () => {
    const mine = await start();
    // Someone else's finished sign-in, planted in this browser.
    const planted = await signInAs({
      sub: 'mallory',
      email: 'mallory@idp.example',
      emailVerified: true,
    });
    const answer = await finish(planted.callbackUrl, mine.state);
    expect(errorCodes(answer)).toEqual(['UNAUTHENTICATED']);
    expect(answer.errors![0]!.message).toMatch(/state/);
    expect(answer.data).toBeNull();
  });
});

describe("an address's budget of sign-in attempts", () => {
  it('refuses the sign-in step past the budget from one address, and not from another', async () => {
    const from = newAddress();
    for (let attempt = 1; attempt <= ADDRESS_ATTEMPTS; attempt += 1) {
      const guess = await complete(from, `a guessed challenge ${attempt}`, '123456');
      expect(errorCodes(guess)).toEqual(['UNAUTHENTICATED']);
    }
    expectRateLimited(await complete(from, 'one guess more', '123456'), 'login-ip');
    // The other sign-in steps share that budget.
    expectRateLimited(await call(from, REFRESH, { t: 'a guessed refresh token' }), 'login-ip');
    expectRateLimited(
      await call(from, FINISH_SSO, { provider: 'test-idp', callbackUrl: `${REDIRECT_URI}?code=a` }),
      'login-ip',
    );
    expectRateLimited(
      await call(from, 'mutation { finishPasskeyLogin(response: "{}") { token } }'),
      'login-ip',
    );

    const elsewhere = await complete(newAddress(), 'a guessed challenge', '123456');
    expect(errorCodes(elsewhere)).toEqual(['UNAUTHENTICATED']);
  });

  it('lets a client refresh its session more often than the budget, and counts failed refreshes', async () => {
    // Refreshing every 15 minutes is one attempt where the budget allows 30 a window; refreshes
    // that succeed give their point back, so clients behind one address never run it out.
    const from = newAddress();
    let { refreshToken } = await signUp(newAddress());
    for (let refresh = 1; refresh <= ADDRESS_ATTEMPTS + 5; refresh += 1) {
      const answer = await call(from, REFRESH, { t: refreshToken });
      expect(answer.errors).toBeUndefined();
      ({ refreshToken } = answer.data!['refreshSession'] as Payload);
    }
    for (let attempt = 1; attempt <= ADDRESS_ATTEMPTS; attempt += 1) {
      const guess = await call(from, REFRESH, { t: `a guessed refresh token ${attempt}` });
      expect(errorCodes(guess)).toEqual(['UNAUTHENTICATED']);
    }
    expectRateLimited(await call(from, REFRESH, { t: refreshToken }), 'login-ip');
  });
});
