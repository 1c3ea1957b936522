// Address verification and sign-up without enumeration: in verify-email mode signUp answers
// the same for a new and a taken address (and mails each owner what concerns them), the
// verification link works once, and an unverified account's login with the right password
// answers EMAIL_VERIFICATION_REQUIRED (a wrong one the usual UNAUTHENTICATED). In instant
// mode, a signed-in user asks for a link and verifies their address.
import { errorCodes, graphql, waitFor } from '@supergraph/kit/testing';
import type { SecurityConfig } from '../src/config.js';
import { MAIL_COOLDOWN_MS } from '../src/account-mail.js';
import { createMailSink } from '../src/mail/mailer.js';
import { createSecuritySubgraph } from '../src/subgraph.js';
import { testSecurityConfig } from './config.js';

const APP_URL = 'https://app.example.com';
const PAYLOAD = 'token user { id email emailVerified }';
const SIGN_UP = `mutation($input: SignUpInput!) { signUp(input: $input) { ${PAYLOAD} } }`;
const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { ${PAYLOAD} } }`;
const VERIFY = 'mutation($token: String!) { verifyEmail(token: $token) }';
const REQUEST = 'mutation { requestEmailVerification }';

async function start(mode: 'instant' | 'verify-email') {
  const sink = createMailSink();
  const clock = { now: Date.now() };
  const config: SecurityConfig = testSecurityConfig();
  config.mail = { ...config.mail, publicAppUrl: APP_URL, outboxPollMs: 20, signUpMode: mode };
  const subgraph = await createSecuritySubgraph(config, { mailer: sink, now: () => clock.now });
  const call = (query: string, variables?: Record<string, unknown>, token?: string) =>
    graphql(subgraph.yoga, { query, variables, token });
  const mailsTo = (email: string) => sink.sent.filter((mail) => mail.to === email);
  /** The token of the last mail to `email` with a link to `page`, once it is sent. */
  async function tokenMailed(email: string, page: string, count = 1) {
    const links = () =>
      mailsTo(email).filter((mail) => mail.text.includes(`${APP_URL}${page}?token=`));
    await waitFor(() => links().length >= count, `mail ${count} to ${email}`);
    const link = /https:\/\/\S+/.exec(links().at(-1)!.text)![0];
    return new URL(link).searchParams.get('token')!;
  }
  return { subgraph, call, mailsTo, tokenMailed, clock };
}

describe('sign-up in verify-email mode', () => {
  let env: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    env = await start('verify-email');
  });
  afterAll(() => env.subgraph.close());

  it('answers a new and a taken address alike, and mails each owner', async () => {
    const input = { email: 'first@example.com', password: 'first password' };
    const created = await env.call(SIGN_UP, { input });
    const again = await env.call(SIGN_UP, {
      input: { email: input.email, password: 'another password' },
    });
    expect(errorCodes(created)).toEqual(['EMAIL_VERIFICATION_REQUIRED']);
    expect(created.errors![0]!.message).toMatch(/Check your email to finish signing up/);
    expect({ data: again.data, errors: again.errors }).toEqual({
      data: created.data,
      errors: created.errors,
    });
    await env.tokenMailed(input.email, '/verify-email');
    await waitFor(() => env.mailsTo(input.email).length === 2, 'the mail about the second try');
    const warning = env.mailsTo(input.email).find((mail) => !mail.text.includes('verify-email'))!;
    expect(warning.subject).toBe('Someone tried to sign up with your address');
    expect(warning.text).toContain(`${APP_URL}/reset-password`);
    // The second try changed nothing: the first password is the account's.
    const token = await env.tokenMailed(input.email, '/verify-email');
    expect(await env.call(VERIFY, { token })).toMatchObject({ data: { verifyEmail: true } });
    expect(
      errorCodes(await env.call(LOGIN, { input: { ...input, password: 'another password' } })),
    ).toEqual(['UNAUTHENTICATED']);
    const login = await env.call(LOGIN, { input });
    expect(login.errors).toBeUndefined();
    expect(login.data!.login).toMatchObject({ user: { email: input.email, emailVerified: true } });
  });

  it('answers an unverified login EMAIL_VERIFICATION_REQUIRED with the right password only, and mails a new link', async () => {
    const input = { email: 'second@example.com', password: 'second password' };
    await env.call(SIGN_UP, { input });
    const firstToken = await env.tokenMailed(input.email, '/verify-email');
    expect(
      errorCodes(await env.call(LOGIN, { input: { ...input, password: 'wrong one' } })),
    ).toEqual(['UNAUTHENTICATED']);
    // A minute later (one link a minute at most), the right password mails a new link.
    env.clock.now += MAIL_COOLDOWN_MS;
    expect(errorCodes(await env.call(LOGIN, { input }))).toEqual(['EMAIL_VERIFICATION_REQUIRED']);
    const secondToken = await env.tokenMailed(input.email, '/verify-email', 2);
    expect(secondToken).not.toBe(firstToken);
    // Any link of the address works, once.
    expect(await env.call(VERIFY, { token: firstToken })).toMatchObject({
      data: { verifyEmail: true },
    });
    const reused = await env.call(VERIFY, { token: firstToken });
    expect(errorCodes(reused)).toEqual(['BAD_USER_INPUT']);
    expect(reused.errors![0]!.extensions).toMatchObject({ field: 'token' });
    expect((await env.call(LOGIN, { input })).errors).toBeUndefined();
  });
});

describe('address verification in instant mode', () => {
  let env: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    env = await start('instant');
  });
  afterAll(() => env.subgraph.close());

  it('signs up at once; a signed-in user asks for a link and verifies the address with it', async () => {
    const input = { email: 'instant@example.com', password: 'instant password' };
    const signedUp = await env.call(SIGN_UP, { input });
    expect(signedUp.errors).toBeUndefined();
    const { token, user } = signedUp.data!.signUp as { token: string; user: object };
    expect(user).toMatchObject({ emailVerified: false });
    expect(errorCodes(await env.call(REQUEST))).toEqual(['UNAUTHENTICATED']);
    expect(await env.call(REQUEST, undefined, token)).toMatchObject({
      data: { requestEmailVerification: true },
    });
    const link = await env.tokenMailed(input.email, '/verify-email');
    expect(await env.call(VERIFY, { token: link })).toMatchObject({ data: { verifyEmail: true } });
    const me = await env.call('{ me { emailVerified } }', undefined, token);
    expect(me.data).toEqual({ me: { emailVerified: true } });
    // Verified already: nothing to send.
    expect(await env.call(REQUEST, undefined, token)).toMatchObject({
      data: { requestEmailVerification: false },
    });
    // A taken address is CONFLICT in this mode, as before.
    expect(errorCodes(await env.call(SIGN_UP, { input }))).toEqual(['CONFLICT']);
  });
});
