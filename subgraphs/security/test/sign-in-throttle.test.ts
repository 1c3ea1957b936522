// Brute force: failed sign-ins lock the account (known or not, alike) and the client address;
// each further lock lasts twice as long up to a cap; parallel guesses cannot get past the
// budget; the owner hears of the failures at their next sign-in, once. The subgraph's clock
// is the test's: moving it stands in for waiting.
import { openSubgraphDatabase } from '@supergraph/kit';
import { errorCodes, graphql } from '@supergraph/kit/testing';
import { join } from 'node:path';
import { signInThrottles, tables } from '../src/db/schema.js';
import { pruneThrottles } from '../src/db/sign-in-throttles.js';
import type { SecurityConfig } from '../src/config.js';
import { createSecuritySubgraph } from '../src/subgraph.js';
import { testSecurityConfig } from './config.js';

const ACCOUNT_FAILURES = 3;
const IP_FAILURES = 5;
const LOCK_S = 60;
const MAX_LOCK_S = 240;

const config = (): SecurityConfig =>
  testSecurityConfig({
    signInThrottle: {
      accountFailures: ACCOUNT_FAILURES,
      ipFailures: IP_FAILURES,
      windowSeconds: 600,
      lockSeconds: LOCK_S,
      maxLockSeconds: MAX_LOCK_S,
    },
  });

const NOTICE = 'signInNotice { failedAttempts lastFailedAt lockedUntil }';
const SIGN_UP = 'mutation($input: SignUpInput!) { signUp(input: $input) { token } }';
const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { token ${NOTICE} } }`;

interface Notice {
  failedAttempts: number;
  lastFailedAt: string | null;
  lockedUntil: string | null;
}

describe('sign-in throttle (brute force)', () => {
  let clock = Date.parse('2026-06-01T12:00:00Z');
  let subgraph: Awaited<ReturnType<typeof createSecuritySubgraph>>;
  beforeAll(async () => {
    subgraph = await createSecuritySubgraph(config(), { now: () => clock });
  });
  afterAll(() => subgraph.close());

  let addresses = 0;
  /** A client address of its own, so that one test's failures do not lock another's. */
  const newAddress = () => `203.0.113.${(addresses += 1)}`;
  const login = (email: string, password: string, ip: string) =>
    graphql(subgraph.yoga, {
      query: LOGIN,
      variables: { input: { email, password } },
      headers: { 'x-forwarded-for': ip },
    });

  let accounts = 0;
  async function signUp(ip = newAddress()) {
    const input = { email: `throttle${(accounts += 1)}@example.com`, password: 'right password' };
    const { errors } = await graphql(subgraph.yoga, {
      query: SIGN_UP,
      variables: { input },
      headers: { 'x-forwarded-for': ip },
    });
    expect(errors).toBeUndefined();
    return input;
  }

  /** The refusal of a locked login, without what differs between two of them. */
  const refusal = (result: Awaited<ReturnType<typeof login>>) => {
    expect(errorCodes(result)).toEqual(['RATE_LIMITED']);
    const [error] = result.errors!;
    return { message: error!.message, extensions: error!.extensions };
  };

  it('locks a known and an unknown email alike, even against the right password', async () => {
    const known = await signUp();
    const knownIp = newAddress();
    const unknown = `nobody${accounts}@example.com`;
    const unknownIp = newAddress();
    for (let attempt = 0; attempt < ACCOUNT_FAILURES; attempt += 1) {
      expect(errorCodes(await login(known.email, 'wrong password', knownIp))).toEqual([
        'UNAUTHENTICATED',
      ]);
      expect(errorCodes(await login(unknown, 'wrong password', unknownIp))).toEqual([
        'UNAUTHENTICATED',
      ]);
    }
    // From another address too: it is the account that is locked.
    const knownLocked = refusal(await login(known.email, known.password, newAddress()));
    const unknownLocked = refusal(await login(unknown, 'any password', newAddress()));
    expect(knownLocked.extensions).toMatchObject({
      code: 'RATE_LIMITED',
      retryAfterSeconds: LOCK_S,
    });
    expect(unknownLocked).toEqual(knownLocked);
    // The email is the account's key whatever its case and spaces.
    refusal(await login(` ${known.email.toUpperCase()} `, known.password, newAddress()));
  });

  it('doubles the lock with each further failure, up to the cap, and lets the owner in after', async () => {
    const account = await signUp();
    // Each attempt from an address of its own: this is the account's lock, not an address's.
    const ip = () => newAddress();
    for (let attempt = 0; attempt < ACCOUNT_FAILURES; attempt += 1) {
      await login(account.email, 'wrong password', ip());
    }
    const locks: number[] = [];
    for (let lock = 0; lock < 4; lock += 1) {
      const locked = refusal(await login(account.email, 'wrong password', ip()));
      const seconds = locked.extensions.retryAfterSeconds as number;
      locks.push(seconds);
      clock += seconds * 1000;
      // One more failure after a lock locks again.
      expect(errorCodes(await login(account.email, 'wrong password', ip()))).toEqual([
        'UNAUTHENTICATED',
      ]);
    }
    expect(locks).toEqual([LOCK_S, 2 * LOCK_S, 4 * LOCK_S, MAX_LOCK_S]);
    // Part of the way through a lock, it says how much is left.
    clock += 100_000;
    expect(refusal(await login(account.email, account.password, ip())).extensions).toMatchObject({
      retryAfterSeconds: MAX_LOCK_S - 100,
    });
    clock += (MAX_LOCK_S - 100) * 1000;
    const signedIn = await login(account.email, account.password, ip());
    expect(signedIn.errors).toBeUndefined();
    // Signing in started the count afresh: the budget is whole again.
    for (let attempt = 1; attempt < ACCOUNT_FAILURES; attempt += 1) {
      expect(errorCodes(await login(account.email, 'wrong password', ip()))).toEqual([
        'UNAUTHENTICATED',
      ]);
    }
    expect((await login(account.email, account.password, ip())).errors).toBeUndefined();
  });

  it('locks an address that fails across many accounts, and only that address', async () => {
    const account = await signUp();
    const ip = newAddress();
    for (let attempt = 0; attempt < IP_FAILURES; attempt += 1) {
      const guess = await login(`sprayed${attempt}@example.com`, 'password1', ip);
      expect(errorCodes(guess)).toEqual(['UNAUTHENTICATED']);
    }
    const locked = refusal(await login(account.email, account.password, ip));
    expect(locked.extensions).toMatchObject({ retryAfterSeconds: LOCK_S });
    expect((await login(account.email, account.password, newAddress())).errors).toBeUndefined();
  });

  it('lets no more parallel guesses through than the budget', async () => {
    const account = await signUp();
    const ip = newAddress();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => login(account.email, 'wrong password', ip)),
    );
    const codes = results.map((result) => errorCodes(result)[0]);
    expect(codes.filter((code) => code === 'UNAUTHENTICATED')).toHaveLength(ACCOUNT_FAILURES);
    expect(codes.filter((code) => code === 'RATE_LIMITED')).toHaveLength(10 - ACCOUNT_FAILURES);
  });

  it('gives back the point of a right password, so that an owner who signs in often is never locked', async () => {
    const account = await signUp();
    const ip = newAddress();
    for (let attempt = 0; attempt < ACCOUNT_FAILURES * 3; attempt += 1) {
      expect((await login(account.email, account.password, ip)).errors).toBeUndefined();
    }
  });

  it('tells the owner of the failures since their last visit, once', async () => {
    const account = await signUp();
    const ip = newAddress();
    await login(account.email, 'wrong password', ip);
    clock += 5_000;
    const lastFailure = new Date(clock).toISOString();
    await login(account.email, 'wrong password', ip);
    clock += 5_000;
    const first = await login(account.email, account.password, ip);
    expect(first.errors).toBeUndefined();
    expect((first.data!.login as { signInNotice: Notice }).signInNotice).toEqual({
      failedAttempts: 2,
      lastFailedAt: lastFailure,
      lockedUntil: null,
    });
    const second = await login(account.email, account.password, ip);
    expect((second.data!.login as { signInNotice: Notice | null }).signInNotice).toBeNull();
  });

  it('tells the owner of a lock too', async () => {
    const account = await signUp();
    const ip = newAddress();
    for (let attempt = 0; attempt < ACCOUNT_FAILURES; attempt += 1) {
      await login(account.email, 'wrong password', ip);
    }
    const lockedUntil = new Date(clock + LOCK_S * 1000).toISOString();
    refusal(await login(account.email, account.password, ip));
    clock += LOCK_S * 1000;
    const signedIn = await login(account.email, account.password, ip);
    expect(signedIn.errors).toBeUndefined();
    // The refused attempt during the lock is not a failure of a credential.
    expect((signedIn.data!.login as { signInNotice: Notice }).signInNotice).toMatchObject({
      failedAttempts: ACCOUNT_FAILURES,
      lockedUntil,
    });
  });
});

describe('pruning sign-in throttles', () => {
  let handle: Awaited<ReturnType<typeof openSubgraphDatabase<typeof tables>>>;
  beforeAll(async () => {
    handle = await openSubgraphDatabase(config(), join(__dirname, '../src'), tables);
  });
  afterAll(() => handle.close());

  it('removes only the rows that neither lock nor count anything, nor wait to tell an owner', async () => {
    const day = 86_400_000;
    const now = Date.parse('2026-06-01T12:00:00Z');
    const at = (ms: number) => new Date(now - ms);
    await handle.db.insert(signInThrottles).values([
      { key: 'ip:quiet', windowStartedAt: at(2 * day) },
      { key: 'ip:recent', windowStartedAt: at(60_000) },
      { key: 'ip:locked', windowStartedAt: at(2 * day), lockedUntil: at(-60_000) },
      {
        key: 'account:to-tell@example.com',
        windowStartedAt: at(2 * day),
        unseenFailures: 2,
        lastFailedAt: at(2 * day),
      },
      {
        key: 'account:long-gone@example.com',
        windowStartedAt: at(40 * day),
        unseenFailures: 2,
        lastFailedAt: at(40 * day),
      },
    ]);
    expect(await pruneThrottles(handle.db, at(day), at(30 * day))).toBe(2);
    const left = await handle.db.select({ key: signInThrottles.key }).from(signInThrottles);
    expect(left.map((row) => row.key).sort()).toEqual([
      'account:to-tell@example.com',
      'ip:locked',
      'ip:recent',
    ]);
  });
});
