// Two-factor sign-in: enrolling an authenticator (TOTP) with recovery codes, login's
// MFA_REQUIRED and completeMfaLogin, codes refused when replayed, recovery codes used once,
// challenges that expire and work once, and wrong codes throttled like wrong passwords.
// The subgraph's MFA clock is the test's: moving it stands in for waiting.
import { errorCodes, graphql } from '@supergraph/kit/testing';
import { authenticator } from 'otplib';
import type { SecurityConfig } from '../src/config.js';
import { createSecuritySubgraph } from '../src/subgraph.js';
import { SoftwareAuthenticator } from './software-authenticator.js';
import { testSecurityConfig } from './config.js';
import { SIGN_IN_THROTTLE_DEFAULTS } from '../src/sign-in-throttle-settings.js';

const STEP_MS = 30_000;
const CHALLENGE_TTL_S = 300;
const WRONG_ATTEMPTS_ALLOWED = 5;

const config = (): SecurityConfig =>
  testSecurityConfig({
    signInThrottle: {
      ...SIGN_IN_THROTTLE_DEFAULTS,
      accountFailures: WRONG_ATTEMPTS_ALLOWED,
      // The test moves the clock by whole TOTP steps: the lock outlasts them.
      lockSeconds: 3_600,
      maxLockSeconds: 3_600,
      ipFailures: 1_000,
    },
    mfa: { challengeTtlSeconds: CHALLENGE_TTL_S, issuer: 'AI Supergraph' },
  });

const PAYLOAD = 'token refreshToken user { id }';
const SIGN_UP = `mutation($input: SignUpInput!) { signUp(input: $input) { ${PAYLOAD} } }`;
const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { ${PAYLOAD} } }`;
const COMPLETE = `mutation($challenge: String!, $code: String, $passkeyResponse: String) {
  completeMfaLogin(challenge: $challenge, code: $code, passkeyResponse: $passkeyResponse) {
    ${PAYLOAD}
  }
}`;
const STATUS = '{ mfaStatus { totpEnabled totpEnabledAt totpPending recoveryCodesLeft } }';
const START = 'mutation { startTotpEnrollment { secret otpauthUri qrCodeDataUrl } }';
const CONFIRM = `mutation($code: String!) {
  confirmTotpEnrollment(code: $code) { recoveryCodes status { totpEnabled recoveryCodesLeft } }
}`;
const REGENERATE = `mutation($code: String!) {
  regenerateRecoveryCodes(code: $code) { recoveryCodes status { recoveryCodesLeft } }
}`;
const DISABLE = 'mutation($code: String!) { disableTotp(code: $code) }';

interface Account {
  input: { email: string; password: string };
  token: string;
  userId: string;
}
interface Enrolled extends Account {
  secret: string;
  recoveryCodes: string[];
}
interface MfaExtension {
  challenge: string;
  expiresAt: string;
  methods: string[];
  passkeyOptions?: { challenge: string; allowCredentials: { id: string }[] };
}

describe('two-factor sign-in (TOTP and recovery codes)', () => {
  let clock = Date.now();
  let subgraph: Awaited<ReturnType<typeof createSecuritySubgraph>>;
  beforeAll(async () => {
    subgraph = await createSecuritySubgraph(config(), { now: () => clock });
  });
  afterAll(() => subgraph.close());

  const call = (query: string, variables?: Record<string, unknown>, token?: string) =>
    graphql(subgraph.yoga, { query, variables, token });

  /** The authenticator app's code now. */
  const codeNow = (secret: string) => authenticator.clone({ epoch: clock }).generate(secret);
  /** The next code the app shows: half a minute later. */
  const nextCode = (secret: string) => {
    clock += STEP_MS;
    return codeNow(secret);
  };
  /** A 6-digit code that is not the app's (of this step or its neighbours). */
  const wrongCode = (secret: string) => {
    const valid = [-1, 0, 1].map((step) =>
      authenticator.clone({ epoch: clock + step * STEP_MS }).generate(secret),
    );
    let guess = 0;
    while (valid.includes(String(guess).padStart(6, '0'))) guess += 1;
    return String(guess).padStart(6, '0');
  };

  let accounts = 0;
  async function signUp(): Promise<Account> {
    const input = { email: `mfa${(accounts += 1)}@example.com`, password: 'long enough' };
    const { data, errors } = await call(SIGN_UP, { input });
    expect(errors).toBeUndefined();
    const payload = data!.signUp as { token: string; user: { id: string } };
    return { input, token: payload.token, userId: payload.user.id };
  }

  async function enrolled(): Promise<Enrolled> {
    const account = await signUp();
    const started = await call(START, undefined, account.token);
    const { secret } = started.data!.startTotpEnrollment as { secret: string };
    const confirmed = await call(CONFIRM, { code: nextCode(secret) }, account.token);
    expect(confirmed.errors).toBeUndefined();
    const { recoveryCodes } = confirmed.data!.confirmTotpEnrollment as { recoveryCodes: string[] };
    return { ...account, secret, recoveryCodes };
  }

  /** Logs in with the right password, expecting MFA_REQUIRED; answers its extensions.mfa. */
  async function challengeOf(account: Account): Promise<MfaExtension> {
    const result = await call(LOGIN, { input: account.input });
    expect(errorCodes(result)).toEqual(['MFA_REQUIRED']);
    expect(result.data).toBeNull();
    return result.errors![0]!.extensions!['mfa'] as MfaExtension;
  }

  const complete = (challenge: string, code: string) => call(COMPLETE, { challenge, code });

  it('enrols an authenticator: secret, otpauth URI and a PNG QR code, pending until confirmed', async () => {
    const account = await signUp();
    const started = await call(START, undefined, account.token);
    expect(started.errors).toBeUndefined();
    const enrollment = started.data!.startTotpEnrollment as {
      secret: string;
      otpauthUri: string;
      qrCodeDataUrl: string;
    };
    expect(enrollment.secret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = new URL(enrollment.otpauthUri);
    expect(`${uri.protocol}//${uri.host}`).toBe('otpauth://totp');
    expect(decodeURIComponent(uri.pathname)).toBe(`/AI Supergraph:${account.input.email}`);
    expect(uri.searchParams.get('issuer')).toBe('AI Supergraph');
    expect(uri.searchParams.get('secret')).toBe(enrollment.secret);
    expect(enrollment.qrCodeDataUrl).toMatch(/^data:image\/png;base64,/);
    const png = Buffer.from(enrollment.qrCodeDataUrl.split(',')[1]!, 'base64');
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');

    const status = await call(STATUS, undefined, account.token);
    expect(status.data!.mfaStatus).toEqual({
      totpEnabled: false,
      totpEnabledAt: null,
      totpPending: true,
      recoveryCodesLeft: 0,
    });
    // Login is unchanged while the enrolment is pending.
    expect((await call(LOGIN, { input: account.input })).errors).toBeUndefined();
  });

  it('confirms with a right code only, and answers ten single-use recovery codes', async () => {
    const account = await signUp();
    const started = await call(START, undefined, account.token);
    const { secret } = started.data!.startTotpEnrollment as { secret: string };

    const wrong = await call(CONFIRM, { code: wrongCode(secret) }, account.token);
    expect(errorCodes(wrong)).toEqual(['BAD_USER_INPUT']);
    expect(wrong.errors![0]!.extensions!['field']).toBe('code');
    const malformed = await call(CONFIRM, { code: 'abc' }, account.token);
    expect(errorCodes(malformed)).toEqual(['BAD_USER_INPUT']);
    expect((await call(STATUS, undefined, account.token)).data!.mfaStatus).toMatchObject({
      totpEnabled: false,
      totpPending: true,
    });

    // Authenticator apps show the code with a space in the middle.
    const code = codeNow(secret);
    const confirmed = await call(
      CONFIRM,
      { code: `${code.slice(0, 3)} ${code.slice(3)}` },
      account.token,
    );
    expect(confirmed.errors).toBeUndefined();
    const result = confirmed.data!.confirmTotpEnrollment as {
      recoveryCodes: string[];
      status: { totpEnabled: boolean; recoveryCodesLeft: number };
    };
    expect(result.recoveryCodes).toHaveLength(10);
    for (const recovery of result.recoveryCodes) {
      expect(recovery).toMatch(/^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/);
    }
    expect(new Set(result.recoveryCodes).size).toBe(10);
    expect(result.status).toEqual({ totpEnabled: true, recoveryCodesLeft: 10 });
    const status = (await call(STATUS, undefined, account.token)).data!.mfaStatus as {
      totpEnabledAt: string;
      totpPending: boolean;
    };
    expect(new Date(status.totpEnabledAt).getTime()).toBe(clock);
    expect(status.totpPending).toBe(false);

    // Once on, another enrolment waits for it to be turned off.
    expect(errorCodes(await call(START, undefined, account.token))).toEqual(['CONFLICT']);
    expect(errorCodes(await call(CONFIRM, { code: nextCode(secret) }, account.token))).toEqual([
      'CONFLICT',
    ]);
  });

  it('refuses confirmation without a started enrolment, and MFA management without a token', async () => {
    const account = await signUp();
    expect(errorCodes(await call(CONFIRM, { code: '123456' }, account.token))).toEqual([
      'NOT_FOUND',
    ]);
    expect(errorCodes(await call(STATUS))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await call(START))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await call(DISABLE, { code: '123456' }))).toEqual(['UNAUTHENTICATED']);
  });

  it('answers MFA_REQUIRED with a challenge and no token, and completes with a TOTP code', async () => {
    const account = await enrolled();
    const mfa = await challengeOf(account);
    expect(mfa.challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Date(mfa.expiresAt).getTime()).toBe(clock + CHALLENGE_TTL_S * 1000);
    expect(mfa.methods).toEqual(['TOTP', 'RECOVERY_CODE']);

    const done = await complete(mfa.challenge, nextCode(account.secret));
    expect(done.errors).toBeUndefined();
    const payload = done.data!.completeMfaLogin as { token: string; user: { id: string } };
    expect(payload.user.id).toBe(account.userId);
    const me = await call('{ me { id } }', undefined, payload.token);
    expect(me.data!.me).toEqual({ id: account.userId });

    // The challenge worked once.
    const again = await complete(mfa.challenge, nextCode(account.secret));
    expect(errorCodes(again)).toEqual(['UNAUTHENTICATED']);
    expect(again.errors![0]!.message).toMatch(/expired or was already used/);
    expect(errorCodes(await complete('not-a-challenge', nextCode(account.secret)))).toEqual([
      'UNAUTHENTICATED',
    ]);
  });

  it('refuses a TOTP code accepted once, and accepts the next one and one of the step before', async () => {
    const account = await enrolled();
    const code = nextCode(account.secret);
    const first = await complete((await challengeOf(account)).challenge, code);
    expect(first.errors).toBeUndefined();

    const replay = await complete((await challengeOf(account)).challenge, code);
    expect(errorCodes(replay)).toEqual(['UNAUTHENTICATED']);
    expect(replay.errors![0]!.message).toMatch(/already used/);

    // A phone whose clock is half a minute behind: its code is of the step before now.
    clock += 2 * STEP_MS;
    const behind = authenticator.clone({ epoch: clock - STEP_MS }).generate(account.secret);
    expect((await complete((await challengeOf(account)).challenge, behind)).errors).toBeUndefined();
    // The current step is later than that one, so its code still passes once.
    const current = codeNow(account.secret);
    expect(
      (await complete((await challengeOf(account)).challenge, current)).errors,
    ).toBeUndefined();
    expect(errorCodes(await complete((await challengeOf(account)).challenge, behind))).toEqual([
      'UNAUTHENTICATED',
    ]);
  });

  it('lets a wrong code be retried on the same challenge', async () => {
    const account = await enrolled();
    const { challenge } = await challengeOf(account);
    const wrong = await complete(challenge, wrongCode(account.secret));
    expect(errorCodes(wrong)).toEqual(['UNAUTHENTICATED']);
    expect(wrong.errors![0]!.message).toMatch(/not the current code/);
    expect((await complete(challenge, nextCode(account.secret))).errors).toBeUndefined();
  });

  it('accepts each recovery code once, in any case and without dashes', async () => {
    const account = await enrolled();
    const recovery = account.recoveryCodes[3]!;
    const typed = recovery.replaceAll('-', '').toLowerCase();
    const done = await complete((await challengeOf(account)).challenge, typed);
    expect(done.errors).toBeUndefined();
    const token = (done.data!.completeMfaLogin as { token: string }).token;
    expect((await call(STATUS, undefined, token)).data!.mfaStatus).toMatchObject({
      recoveryCodesLeft: 9,
    });

    const reuse = await complete((await challengeOf(account)).challenge, recovery);
    expect(errorCodes(reuse)).toEqual(['UNAUTHENTICATED']);
    // Another account's recovery code is no code of this one.
    const other = await enrolled();
    expect(
      errorCodes(await complete((await challengeOf(account)).challenge, other.recoveryCodes[0]!)),
    ).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses an expired challenge', async () => {
    const account = await enrolled();
    const { challenge } = await challengeOf(account);
    clock += (CHALLENGE_TTL_S + 1) * 1000;
    const late = await complete(challenge, codeNow(account.secret));
    expect(errorCodes(late)).toEqual(['UNAUTHENTICATED']);
    expect(late.errors![0]!.message).toMatch(/expired/);
    // A new login gives a new challenge, which works.
    const fresh = await challengeOf(account);
    expect((await complete(fresh.challenge, nextCode(account.secret))).errors).toBeUndefined();
  });

  it('replaces the recovery codes only with a fresh TOTP code', async () => {
    const account = await enrolled();
    const used = codeNow(account.secret); // spent by the confirmation
    const replayed = await call(REGENERATE, { code: used }, account.token);
    expect(errorCodes(replayed)).toEqual(['BAD_USER_INPUT']);
    expect(replayed.errors![0]!.message).toMatch(/already used/);
    expect(
      errorCodes(await call(REGENERATE, { code: account.recoveryCodes[0]! }, account.token)),
    ).toEqual(['BAD_USER_INPUT']);

    const renewed = await call(REGENERATE, { code: nextCode(account.secret) }, account.token);
    expect(renewed.errors).toBeUndefined();
    const result = renewed.data!.regenerateRecoveryCodes as {
      recoveryCodes: string[];
      status: { recoveryCodesLeft: number };
    };
    expect(result.recoveryCodes).toHaveLength(10);
    expect(result.recoveryCodes).not.toContain(account.recoveryCodes[0]);
    expect(result.status.recoveryCodesLeft).toBe(10);

    const old = await complete((await challengeOf(account)).challenge, account.recoveryCodes[0]!);
    expect(errorCodes(old)).toEqual(['UNAUTHENTICATED']);
    const fresh = await complete((await challengeOf(account)).challenge, result.recoveryCodes[0]!);
    expect(fresh.errors).toBeUndefined();
  });

  it('turns two-factor sign-in off only with a fresh code, then login gives tokens again', async () => {
    const account = await enrolled();
    const wrong = await call(DISABLE, { code: wrongCode(account.secret) }, account.token);
    expect(errorCodes(wrong)).toEqual(['BAD_USER_INPUT']);
    expect(wrong.errors![0]!.extensions!['field']).toBe('code');
    const replayed = await call(DISABLE, { code: codeNow(account.secret) }, account.token);
    expect(errorCodes(replayed)).toEqual(['BAD_USER_INPUT']);
    expect((await call(STATUS, undefined, account.token)).data!.mfaStatus).toMatchObject({
      totpEnabled: true,
    });
    const { challenge } = await challengeOf(account);

    const off = await call(DISABLE, { code: nextCode(account.secret) }, account.token);
    expect(off.data!.disableTotp).toBe(true);
    expect((await call(STATUS, undefined, account.token)).data!.mfaStatus).toEqual({
      totpEnabled: false,
      totpEnabledAt: null,
      totpPending: false,
      recoveryCodesLeft: 0,
    });
    expect((await call(LOGIN, { input: account.input })).errors).toBeUndefined();
    // The challenge of before is gone with the factor.
    expect(errorCodes(await complete(challenge, nextCode(account.secret)))).toEqual([
      'UNAUTHENTICATED',
    ]);
    expect((await call(DISABLE, { code: '123456' }, account.token)).data!.disableTotp).toBe(false);
  });

  it('turns two-factor sign-in off with a recovery code', async () => {
    const account = await enrolled();
    const off = await call(DISABLE, { code: account.recoveryCodes[9]! }, account.token);
    expect(off.data!.disableTotp).toBe(true);
    expect((await call(LOGIN, { input: account.input })).errors).toBeUndefined();
  });

  it('throttles wrong codes like wrong passwords: RATE_LIMITED after the limit', async () => {
    const account = await enrolled();
    const { challenge } = await challengeOf(account);
    for (let attempt = 0; attempt < WRONG_ATTEMPTS_ALLOWED; attempt += 1) {
      expect(errorCodes(await complete(challenge, wrongCode(account.secret)))).toEqual([
        'UNAUTHENTICATED',
      ]);
    }
    // Even the right code waits now, and so does the password.
    const limited = await complete(challenge, nextCode(account.secret));
    expect(errorCodes(limited)).toEqual(['RATE_LIMITED']);
    expect(errorCodes(await call(LOGIN, { input: account.input }))).toEqual(['RATE_LIMITED']);
  });

  it('refuses input far too long before looking at it', async () => {
    const account = await enrolled();
    const { challenge } = await challengeOf(account);
    const long = await complete(challenge, '1'.repeat(65));
    expect(errorCodes(long)).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await complete('x'.repeat(129), '123456'))).toEqual(['BAD_USER_INPUT']);
    // Nothing was spent: the challenge still works.
    expect((await complete(challenge, nextCode(account.secret))).errors).toBeUndefined();
  });
  it('takes a passkey of the account as the second factor, over the challenge itself', async () => {
    const account = await enrolled();
    // Without passkeys, none are offered.
    expect((await challengeOf(account)).methods).toEqual(['TOTP', 'RECOVERY_CODE']);
    const device = new SoftwareAuthenticator();
    const started = await call(
      'mutation { startPasskeyRegistration { options } }',
      undefined,
      account.token,
    );
    const registered = await call(
      'mutation($r: String!) { finishPasskeyRegistration(response: $r) { id } }',
      { r: device.register(started.data!.startPasskeyRegistration.options) },
      account.token,
    );
    expect(registered.errors).toBeUndefined();

    const mfa = await challengeOf(account);
    expect(mfa.methods).toEqual(['TOTP', 'RECOVERY_CODE', 'PASSKEY']);
    expect(mfa.passkeyOptions!.challenge).toBe(mfa.challenge);
    expect(mfa.passkeyOptions!.allowCredentials.map(({ id }) => id)).toEqual([device.id]);
    // Another account's passkey, and a code with a passkey, are refused; the challenge stays.
    const stranger = new SoftwareAuthenticator();
    expect(
      errorCodes(
        await call(COMPLETE, {
          challenge: mfa.challenge,
          passkeyResponse: stranger.assert(mfa.passkeyOptions!),
        }),
      ),
    ).toEqual(['UNAUTHENTICATED']);
    expect(
      errorCodes(
        await call(COMPLETE, {
          challenge: mfa.challenge,
          code: codeNow(account.secret),
          passkeyResponse: device.assert(mfa.passkeyOptions!),
        }),
      ),
    ).toEqual(['BAD_USER_INPUT']);
    const answer = device.assert(mfa.passkeyOptions!);
    const done = await call(COMPLETE, { challenge: mfa.challenge, passkeyResponse: answer });
    expect(done.errors).toBeUndefined();
    const me = await call('{ me { id } }', undefined, done.data!.completeMfaLogin.token);
    expect(me.data!.me).toEqual({ id: account.userId });
    // The same signed answer cannot finish another login: it signed the first challenge.
    const next = await challengeOf(account);
    expect(
      errorCodes(await call(COMPLETE, { challenge: next.challenge, passkeyResponse: answer })),
    ).toEqual(['UNAUTHENTICATED']);
  });
});
