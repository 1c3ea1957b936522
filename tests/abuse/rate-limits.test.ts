// Password guessing: the 11th wrong password for one account within a minute is refused with
// RATE_LIMITED (429, Retry-After) by the router; straight at the security subgraph, which a
// caller may reach without the router, the subgraph's own lock refuses it (its budget set to
// the router's here; by default it is SIGN_IN_ACCOUNT_FAILURES, 5).
import { errorCodes, graphql, type Result } from '@supergraph/kit/testing';
import { signUp, startSupergraph, type Supergraph } from '../harness.js';

const LOGIN = 'mutation($i: LoginInput!) { login(input: $i) { token } }';
const PASSWORD = 'a long password'; // the harness' signUp uses it
/** The default budget of failed attempts per account and minute. */
const ATTEMPTS = 10;

type Answer = Result & { status: number; response: Response };

function expectRateLimited(answer: Answer, bucket: string) {
  expect(answer.status).toBe(429);
  expect(errorCodes(answer)).toEqual(['RATE_LIMITED']);
  const { retryAfter } = answer.errors![0]!.extensions as { retryAfter: number };
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(answer.response.headers.get('retry-after')).toBe(String(retryAfter));
  expect(answer.errors![0]!.extensions).toMatchObject({ bucket });
}

describe('password guessing', () => {
  let supergraph: Supergraph;
  beforeAll(async () => {
    // These tests make many attempts from one address: that budget is another test's subject.
    // Root fields are bounded too (10 by default): room for the aliased guesses below, so that
    // the rate limit, not the operation limit, is what refuses them.
    supergraph = await startSupergraph({
      env: {
        RATE_LIMIT_LOGIN_IP_POINTS: '1000',
        LIMIT_MAX_ROOT_FIELDS: '20',
        // The subgraph's own lock at the router's budget, so that the router's is what the
        // tests through it see; and its lock per address out of the way, like the router's.
        SIGN_IN_ACCOUNT_FAILURES: String(ATTEMPTS),
        SIGN_IN_IP_FAILURES: '1000',
      },
    });
  });
  afterAll(() => supergraph.close());

  const login = (target: string, email: string, password: string) =>
    graphql(target, { query: LOGIN, variables: { i: { email, password } } });

  it('refuses the 11th wrong password for one account within a minute, through the router', async () => {
    const { email } = await signUp(supergraph.url, 'guessed@example.com');
    for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
      const wrong = await login(supergraph.url, email, `guess number ${attempt}`);
      expect(errorCodes(wrong)).toEqual(['UNAUTHENTICATED']);
    }
    expectRateLimited(await login(supergraph.url, email, 'guess number 11'), 'login-account');
    // The account's budget is spent: even the right password waits, in any spelling of the email.
    expectRateLimited(
      await login(supergraph.url, ' Guessed@Example.COM ', PASSWORD),
      'login-account',
    );

    const other = await signUp(supergraph.url, 'bystander@example.com');
    expect((await login(supergraph.url, other.email, PASSWORD)).errors).toBeUndefined();
  });

  it('counts failures only: someone who signs in often is never locked out', async () => {
    const { email } = await signUp(supergraph.url, 'frequent@example.com');
    for (let attempt = 1; attempt <= ATTEMPTS + 2; attempt += 1) {
      expect((await login(supergraph.url, email, PASSWORD)).errors).toBeUndefined();
    }
  });

  it('counts every login of one request: aliases do not multiply the guesses', async () => {
    const { email } = await signUp(supergraph.url, 'aliased@example.com');
    const guesses = Array.from(
      { length: ATTEMPTS + 1 },
      (_, i) => `g${i}: login(input: { email: $email, password: "guess ${i}" }) { token }`,
    );
    const answer = await graphql(supergraph.url, {
      query: `mutation($email: String!) { ${guesses.join('\n')} }`,
      variables: { email },
    });
    expectRateLimited(answer, 'login-account');
    expect(answer.data).toBeUndefined();
  });

  it('refuses the 11th wrong password straight at the security subgraph too', async () => {
    const direct = supergraph.subgraphUrls.security;
    const { email } = await signUp(supergraph.url, 'direct@example.com');
    for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
      const wrong = await login(direct, email, `guess number ${attempt}`);
      expect(errorCodes(wrong)).toEqual(['UNAUTHENTICATED']);
    }
    // The subgraph's lock (sign-in-throttle.ts): the same refusal for the right password.
    for (const password of ['guess number 11', PASSWORD]) {
      const locked = await login(direct, email, password);
      expect(locked.status).toBe(429);
      expect(errorCodes(locked)).toEqual(['RATE_LIMITED']);
      const { retryAfterSeconds } = locked.errors![0]!.extensions as { retryAfterSeconds: number };
      expect(retryAfterSeconds).toBeGreaterThanOrEqual(1);
      expect(locked.response.headers.get('retry-after')).toBe(String(retryAfterSeconds));
    }
  });
});
