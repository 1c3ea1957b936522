// Floods: every GraphQL operation takes a point from its identity's budget (the signed-in user,
// else the client's address), and credential mutations from their address's budget too, so
// one flooding client is refused with 429 while others are still served. Forwarded headers
// are believed only behind as many proxies as RATE_LIMIT_TRUSTED_PROXY_HOPS says.
import { errorCodes, graphql } from '@supergraph/kit/testing';
import { startLoneRouter, type LoneRouter } from './lone-router.js';

const PING = '{ __typename }';
const BUDGET = 5;

describe('rate limits per identity', () => {
  let lone: LoneRouter | undefined;
  afterEach(async () => {
    await lone?.close();
    lone = undefined;
  });

  const ping = (headers: Record<string, string> = {}, token?: string) =>
    graphql(lone!.url, { query: PING, headers, ...(token ? { token } : {}) });

  it('answers a flood from one anonymous address with 429 while a signed-in user is served', async () => {
    lone = await startLoneRouter({ RATE_LIMIT_POINTS: String(BUDGET) });
    // What is not a GraphQL operation costs nothing.
    const base = lone.url.replace(/\/graphql$/, '');
    for (const path of ['/health', '/readyz', '/metrics']) {
      expect((await fetch(`${base}${path}`)).status).toBeLessThan(500);
    }
    const page = await fetch(lone.url, { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type')).toContain('text/html');

    for (let i = 0; i < BUDGET; i += 1) {
      const served = await ping();
      expect(served.status).toBe(200);
      expect(served.data).toEqual({ __typename: 'Query' });
    }
    const refused = await ping();
    expect(refused.status).toBe(429);
    expect(errorCodes(refused)).toEqual(['RATE_LIMITED']);
    const retryAfter = refused.errors![0]!.extensions!['retryAfter'] as number;
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(refused.response.headers.get('retry-after')).toBe(String(retryAfter));
    expect(refused.errors![0]!.extensions).toMatchObject({ bucket: 'identity' });
    // A forged X-Forwarded-For does not make a new client when no proxy is trusted.
    expect((await ping({ 'x-forwarded-for': '198.51.100.9' })).status).toBe(429);

    const token = await lone.token('someone-else');
    for (let i = 0; i < BUDGET; i += 1) {
      expect((await ping({}, token)).data).toEqual({ __typename: 'Query' });
    }
  });

  it('believes the address a trusted proxy forwards, and only the one it appended', async () => {
    lone = await startLoneRouter({
      RATE_LIMIT_POINTS: String(BUDGET),
      RATE_LIMIT_TRUSTED_PROXY_HOPS: '1',
    });
    // The client wrote the first entry itself; the proxy appended the last (the real peer).
    const flooder = { 'x-forwarded-for': '10.9.9.9, 203.0.113.7' };
    for (let i = 0; i < BUDGET; i += 1) expect((await ping(flooder)).status).toBe(200);
    expect((await ping(flooder)).status).toBe(429);
    expect((await ping({ 'x-forwarded-for': '10.1.1.1, 203.0.113.7' })).status).toBe(429);
    expect((await ping({ 'x-forwarded-for': '203.0.113.8' })).status).toBe(200);
  });

  it('limits login and signUp per address across accounts (credential stuffing)', async () => {
    const perAddress = 4;
    lone = await startLoneRouter({ RATE_LIMIT_LOGIN_IP_POINTS: String(perAddress) });
    const attempt = (i: number, headers: Record<string, string> = {}) =>
      graphql(lone!.url, {
        query: 'mutation($i: LoginInput!) { login(input: $i) { token } }',
        variables: { i: { email: `victim-${i}@example.com`, password: 'password123' } },
        headers,
      });
    for (let i = 0; i < perAddress; i += 1) {
      // The security subgraph is down here: the attempt is counted before it is made.
      expect(errorCodes(await attempt(i))).not.toContain('RATE_LIMITED');
    }
    const refused = await attempt(perAddress);
    expect(refused.status).toBe(429);
    expect(refused.errors![0]!.extensions).toMatchObject({
      code: 'RATE_LIMITED',
      bucket: 'login-ip',
    });
    expect((await attempt(perAddress + 1, { 'x-forwarded-for': '198.51.100.10' })).status).toBe(
      429,
    );
    // Other operations of that address keep their own budget.
    expect((await ping()).status).toBe(200);
  });
});
