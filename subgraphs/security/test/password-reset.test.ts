// Password reset through the outbox: the same answer for a known and an unknown address, the
// mail in the sink with its link, a token that works once and expires, every session ended,
// a bad new password refused with nothing changed; and a mail written while the mailer fails
// is sent once it recovers. The subgraph's clock is the test's.
import { errorCodes, graphql, waitFor } from '@supergraph/kit/testing';
import type { SecurityConfig } from '../src/config.js';
import { MAIL_COOLDOWN_MS } from '../src/account-mail.js';
import { createMailSink, type Mail } from '../src/mail/mailer.js';
import { retryDelayMs } from '../src/mail/outbox.js';
import { createSecuritySubgraph } from '../src/subgraph.js';
import { testSecurityConfig } from './config.js';

const APP_URL = 'https://app.example.com';
const TTL_S = 1_800;

const PAYLOAD = 'token refreshToken user { id }';
const SIGN_UP = `mutation($input: SignUpInput!) { signUp(input: $input) { ${PAYLOAD} } }`;
const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { ${PAYLOAD} } }`;
const REFRESH = `mutation($t: String!) { refreshSession(refreshToken: $t) { ${PAYLOAD} } }`;
const REQUEST = 'mutation($email: String!) { requestPasswordReset(email: $email) }';
const RESET = `mutation($token: String!, $password: String!) {
  resetPassword(token: $token, newPassword: $password)
}`;

describe('password reset by email', () => {
  let clock = Date.parse('2026-06-01T12:00:00Z');
  const sink = createMailSink();
  let failing = false;
  let refused = 0;
  let subgraph: Awaited<ReturnType<typeof createSecuritySubgraph>>;
  beforeAll(async () => {
    const config: SecurityConfig = testSecurityConfig();
    config.mail = { ...config.mail, publicAppUrl: APP_URL, outboxPollMs: 20 };
    subgraph = await createSecuritySubgraph(config, {
      now: () => clock,
      mailer: {
        async send(mail) {
          if (failing) {
            refused += 1;
            throw new Error('the SMTP server is down');
          }
          await sink.send(mail);
        },
        close() {},
      },
    });
  });
  afterAll(() => subgraph.close());

  const call = (query: string, variables?: Record<string, unknown>, token?: string) =>
    graphql(subgraph.yoga, { query, variables, token });

  let accounts = 0;
  async function signUp() {
    const input = { email: `reset${(accounts += 1)}@example.com`, password: 'old password' };
    const { data, errors } = await call(SIGN_UP, { input });
    expect(errors).toBeUndefined();
    const payload = data!.signUp as { token: string; refreshToken: string };
    return { input, ...payload };
  }
  const mailsTo = (email: string) => sink.sent.filter((mail) => mail.to === email);
  async function resetMail(email: string): Promise<{ mail: Mail; token: string }> {
    // One link a minute at most per account: a later request is a minute later.
    clock += MAIL_COOLDOWN_MS;
    const before = mailsTo(email).length;
    expect(await call(REQUEST, { email })).toMatchObject({ data: { requestPasswordReset: true } });
    await waitFor(() => mailsTo(email).length > before, 'the reset mail');
    const mail = mailsTo(email).at(-1)!;
    const link = /https:\/\/\S+/.exec(mail.text)![0];
    const url = new URL(link);
    return { mail, token: url.searchParams.get('token')! };
  }

  it('answers a known and an unknown address alike, and mails the link to a known one', async () => {
    const account = await signUp();
    const known = await call(REQUEST, { email: account.input.email.toUpperCase() });
    const unknown = await call(REQUEST, { email: `nobody${accounts}@example.com` });
    expect(unknown.data).toEqual(known.data);
    expect(unknown.errors).toEqual(known.errors);
    await waitFor(() => mailsTo(account.input.email).length === 1, 'the reset mail');
    const [mail] = mailsTo(account.input.email);
    expect(mail!.subject).toBe('Reset your password');
    expect(mail!.text).toMatch(
      new RegExp(`${APP_URL}/reset-password\\?token=[A-Za-z0-9_-]{43}(\\s|$)`),
    );
    expect(mailsTo(`nobody${accounts}@example.com`)).toEqual([]);
  });

  it('sets the new password once, and ends every session of the account', async () => {
    const account = await signUp();
    const other = (await call(LOGIN, { input: account.input })).data!.login as {
      token: string;
      refreshToken: string;
    };
    const { token } = await resetMail(account.input.email);
    const reset = await call(RESET, { token, password: 'new password' });
    expect(reset).toMatchObject({ data: { resetPassword: true } });
    expect(reset.errors).toBeUndefined();
    // The sessions are over: their refresh tokens and access tokens are refused.
    for (const session of [account, other]) {
      expect(errorCodes(await call(REFRESH, { t: session.refreshToken }))).toEqual([
        'UNAUTHENTICATED',
      ]);
      expect(errorCodes(await call('{ me { id } }', undefined, session.token))).toEqual([
        'UNAUTHENTICATED',
      ]);
    }
    expect(errorCodes(await call(LOGIN, { input: account.input }))).toEqual(['UNAUTHENTICATED']);
    const login = await call(LOGIN, {
      input: { email: account.input.email, password: 'new password' },
    });
    expect(login.errors).toBeUndefined();
    // Once only.
    const again = await call(RESET, { token, password: 'third password' });
    expect(errorCodes(again)).toEqual(['BAD_USER_INPUT']);
    expect(again.errors![0]!.extensions).toMatchObject({ field: 'token' });
  });

  it('refuses an expired link, and a link asked for before the one used', async () => {
    const account = await signUp();
    const older = await resetMail(account.input.email);
    const newer = await resetMail(account.input.email);
    clock += TTL_S * 1000;
    expect(errorCodes(await call(RESET, { token: newer.token, password: 'new password' }))).toEqual(
      ['BAD_USER_INPUT'],
    );
    const fresh = await resetMail(account.input.email);
    expect((await call(RESET, { token: fresh.token, password: 'new password' })).errors).toBe(
      undefined,
    );
    clock -= TTL_S * 1000;
    // Back within its half hour, the older link is still spent by the reset.
    expect(errorCodes(await call(RESET, { token: older.token, password: 'new password' }))).toEqual(
      ['BAD_USER_INPUT'],
    );
    clock += TTL_S * 1000;
  });

  it('sends one link a minute at most, however often it is asked for', async () => {
    const account = await signUp();
    await resetMail(account.input.email);
    for (let ask = 0; ask < 3; ask += 1) {
      expect(await call(REQUEST, { email: account.input.email })).toMatchObject({
        data: { requestPasswordReset: true },
      });
    }
    // A mail asked for after those would come after theirs: the outbox is first in, first out.
    await resetMail(account.input.email);
    expect(mailsTo(account.input.email)).toHaveLength(2);
  });

  it('refuses a new password signUp would refuse, and changes nothing', async () => {
    const account = await signUp();
    const { token } = await resetMail(account.input.email);
    const short = await call(RESET, { token, password: 'short' });
    expect(errorCodes(short)).toEqual(['BAD_USER_INPUT']);
    expect(short.errors![0]!.extensions).toMatchObject({ field: 'resetPassword.newPassword' });
    // The token, the password and the session are as they were.
    expect((await call('{ me { id } }', undefined, account.token)).errors).toBeUndefined();
    expect((await call(LOGIN, { input: account.input })).errors).toBeUndefined();
    expect((await call(RESET, { token, password: 'long enough now' })).errors).toBeUndefined();
  });

  it('refuses an address that is not one, and an unknown token', async () => {
    const bad = await call(REQUEST, { email: 'not an address' });
    expect(errorCodes(bad)).toEqual(['BAD_USER_INPUT']);
    expect(
      errorCodes(await call(RESET, { token: 'x'.repeat(43), password: 'new password' })),
    ).toEqual(['BAD_USER_INPUT']);
  });

  it('sends a mail written while the mailer fails once it recovers', async () => {
    const account = await signUp();
    failing = true;
    refused = 0;
    expect(await call(REQUEST, { email: account.input.email })).toMatchObject({
      data: { requestPasswordReset: true },
    });
    // The dispatcher tried (and failed); the mail waits for its backoff.
    await waitFor(() => refused > 0, 'the first attempt');
    failing = false;
    clock += retryDelayMs(1);
    await waitFor(() => mailsTo(account.input.email).length === 1, 'the mail after recovery');
  });
});
