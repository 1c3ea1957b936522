// With REDIS_URL, router replicas count against one budget: a client cannot multiply its rate
// limit by spreading its requests over them.
import { randomUUID } from 'node:crypto';
import { createTestIssuer, errorCodes, graphql } from '@supergraph/kit/testing';
import { startLoneRouter, type LoneRouter } from './lone-router.js';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const BUDGET = 6;
const LOGIN_BUDGET = 3;

describe('rate limits shared through Redis', () => {
  let replicas: LoneRouter[];
  beforeAll(async () => {
    const env = {
      REDIS_URL,
      RATE_LIMIT_POINTS: String(BUDGET),
      // Below the identity budget, so that the login attempts are refused by this one.
      RATE_LIMIT_LOGIN_POINTS: String(LOGIN_BUDGET),
      // Other runs and suites log in from this address too: that budget is not the subject.
      RATE_LIMIT_LOGIN_IP_POINTS: '1000',
    };
    const issuer = await createTestIssuer();
    replicas = [await startLoneRouter(env, { issuer }), await startLoneRouter(env, { issuer })];
  });
  afterAll(() => Promise.all(replicas.map((replica) => replica.close())));

  it('refuses a user who spread the budget over two replicas', async () => {
    expect(replicas.map(({ router }) => router.rateLimitStore)).toEqual(['redis', 'redis']);
    // A user of this run only, so that counts left in Redis by an earlier run do not matter.
    const token = await replicas[0]!.token(`user-${randomUUID()}`);
    for (let i = 0; i < BUDGET; i += 1) {
      const answer = await graphql(replicas[i % 2]!.url, { query: '{ __typename }', token });
      expect(answer.status).toBe(200);
    }
    for (const replica of replicas) {
      const refused = await graphql(replica.url, { query: '{ __typename }', token });
      expect(refused.status).toBe(429);
      expect(errorCodes(refused)).toEqual(['RATE_LIMITED']);
    }
  });

  it("shares an account's budget of failed logins", async () => {
    const email = `guessed-${randomUUID()}@example.com`;
    // Signed in as someone of this run, so that no earlier run's count of this address matters.
    const token = await replicas[0]!.token(`user-${randomUUID()}`);
    const attempt = (replica: LoneRouter) =>
      graphql(replica.url, {
        query: 'mutation($i: LoginInput!) { login(input: $i) { token } }',
        variables: { i: { email, password: 'a wrong guess' } },
        token,
      });
    // The security subgraph is down here: each attempt fails, and so counts.
    for (let i = 0; i < LOGIN_BUDGET; i += 1) {
      expect(errorCodes(await attempt(replicas[i % 2]!))).not.toContain('RATE_LIMITED');
    }
    const refused = await attempt(replicas[0]!);
    expect(refused.status).toBe(429);
    expect(refused.errors![0]!.extensions).toMatchObject({
      code: 'RATE_LIMITED',
      bucket: 'login-account',
    });
  });
});
