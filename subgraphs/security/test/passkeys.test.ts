// Passkeys (WebAuthn) without a browser: a software authenticator (ES256, "none" attestation)
// answers the options the subgraph gives, on its embedded database. A passkey registers for
// the signed-in user and signs them in, passwordless or for an email; what a phishing page,
// a cloned authenticator, a replayed or tampered answer or someone else's passkey sends is
// refused with UNAUTHENTICATED and changes nothing; malformed input is BAD_USER_INPUT and
// leaves the ceremony open. tests/browser/passkeys.test.ts does the same in Chromium.
import { join } from 'node:path';
import { openSubgraphDatabase } from '@supergraph/kit';
import { errorCodes, graphql, waitFor } from '@supergraph/kit/testing';
import type { SecurityConfig } from '../src/config.js';
import { tables } from '../src/db/schema.js';
import { insertUser, seedRoles } from '../src/db/users.js';
import { passkeysOfUser } from '../src/db/passkeys.js';
import {
  finishRegistration,
  passkeyAssertionOptions,
  startRegistration,
  verifyPasskeyAssertion,
  type WebAuthnSettings,
} from '../src/passkeys.js';
import { DEFAULT_ROLE } from '../src/roles.js';
import { createSecuritySubgraph } from '../src/subgraph.js';
import { testSecurityConfig } from './config.js';
import { SIGN_IN_THROTTLE_DEFAULTS } from '../src/sign-in-throttle-settings.js';
import { SoftwareAuthenticator } from './software-authenticator.js';

const ORIGIN = 'http://localhost:4000';
const WEBAUTHN = {
  rpId: 'localhost',
  rpName: 'Supergraph',
  origins: [ORIGIN],
  challengeTtlSeconds: 300,
} satisfies WebAuthnSettings;

const config = (webauthn: Partial<typeof WEBAUTHN> = {}): SecurityConfig =>
  testSecurityConfig({
    signInThrottle: { ...SIGN_IN_THROTTLE_DEFAULTS, accountFailures: 100 },
    webauthn: { ...WEBAUTHN, ...webauthn },
  });

const SIGN_UP = 'mutation($input: SignUpInput!) { signUp(input: $input) { token user { id } } }';
const START_REGISTRATION = 'mutation { startPasskeyRegistration { options expiresAt } }';
const FINISH_REGISTRATION = `mutation($response: String!, $name: String) {
  finishPasskeyRegistration(response: $response, name: $name) {
    id name createdAt lastUsedAt transports deviceType backedUp
  }
}`;
const START_LOGIN =
  'mutation($email: String) { startPasskeyLogin(email: $email) { options expiresAt } }';
const FINISH_LOGIN = `mutation($response: String!) {
  finishPasskeyLogin(response: $response) { token refreshToken user { id } session { id } }
}`;
const PASSKEYS = '{ passkeys { id name lastUsedAt transports deviceType backedUp } }';
const RENAME =
  'mutation($id: ID!, $name: String!) { renamePasskey(id: $id, name: $name) { id name } }';
const REMOVE = 'mutation($id: ID!) { removePasskey(id: $id) }';

type Options = { challenge: string } & Record<string, unknown>;
interface Account {
  token: string;
  userId: string;
  email: string;
}
interface Passkey {
  id: string;
  name: string;
  lastUsedAt: string | null;
  transports: string[];
  deviceType: string;
  backedUp: boolean;
}

type Subgraph = Awaited<ReturnType<typeof createSecuritySubgraph>>;

/** GraphQL helpers against one subgraph. */
function client(subgraph: () => Subgraph) {
  const call = (query: string, variables?: Record<string, unknown>, token?: string) =>
    graphql(subgraph().yoga, { query, variables, token });
  let accounts = 0;
  return {
    call,
    async signUp(): Promise<Account> {
      const email = `passkey-user${(accounts += 1)}-${Date.now()}@example.com`;
      const { data, errors } = await call(SIGN_UP, { input: { email, password: 'long enough' } });
      expect(errors).toBeUndefined();
      const { token, user } = data!.signUp as { token: string; user: { id: string } };
      return { token, userId: user.id, email };
    },
    async registrationOptions(token: string): Promise<Options> {
      const { data, errors } = await call(START_REGISTRATION, undefined, token);
      expect(errors).toBeUndefined();
      return (data!.startPasskeyRegistration as { options: Options }).options;
    },
    async loginOptions(email?: string): Promise<Options> {
      const { data, errors } = await call(START_LOGIN, { email });
      expect(errors).toBeUndefined();
      return (data!.startPasskeyLogin as { options: Options }).options;
    },
    finishRegistration: (token: string, response: string, name?: string) =>
      call(FINISH_REGISTRATION, { response, name }, token),
    finishLogin: (response: string) => call(FINISH_LOGIN, { response }),
    async passkeys(token: string): Promise<Passkey[]> {
      const { data, errors } = await call(PASSKEYS, undefined, token);
      expect(errors).toBeUndefined();
      return data!.passkeys as Passkey[];
    },
  };
}

describe('passkeys', () => {
  let subgraph: Subgraph;
  /** Messages the request loggers wrote at info level, with their fields. */
  const logged: { message: string; fields: Record<string, unknown> }[] = [];
  beforeAll(async () => {
    subgraph = await createSecuritySubgraph(config());
    // Each request logs through a child of the subgraph's logger.
    const child = subgraph.logger.child.bind(subgraph.logger);
    jest.spyOn(subgraph.logger, 'child').mockImplementation((...args) => {
      const logger = child(...args);
      jest.spyOn(logger, 'info').mockImplementation(((fields: object, message: string) => {
        logged.push({ message, fields: fields as Record<string, unknown> });
      }) as typeof logger.info);
      return logger;
    });
  });
  afterAll(() => subgraph.close());
  const api = client(() => subgraph);

  /** A user with a registered passkey. */
  async function withPasskey(origin = ORIGIN) {
    const account = await api.signUp();
    const authenticator = new SoftwareAuthenticator(origin);
    const response = authenticator.register(await api.registrationOptions(account.token));
    const registered = await api.finishRegistration(account.token, response, 'Laptop');
    expect(registered.errors).toBeUndefined();
    const passkey = registered.data!.finishPasskeyRegistration as Passkey;
    return { account, authenticator, passkey };
  }

  it('gives registration options to the signed-in user, excluding their passkeys', async () => {
    expect(errorCodes(await api.call(START_REGISTRATION))).toEqual(['UNAUTHENTICATED']);
    const { account, authenticator } = await withPasskey();
    const { data } = await api.call(START_REGISTRATION, undefined, account.token);
    const { options, expiresAt } = data!.startPasskeyRegistration as {
      options: Record<string, unknown>;
      expiresAt: string;
    };
    expect(options).toMatchObject({
      rp: { id: 'localhost', name: 'Supergraph' },
      user: {
        id: Buffer.from(account.userId.replace(/-/g, ''), 'hex').toString('base64url'),
        name: account.email,
      },
      challenge: expect.stringMatching(/^[A-Za-z0-9_-]{20,}$/),
      attestation: 'none',
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
      excludeCredentials: [{ id: authenticator.id, type: 'public-key', transports: ['internal'] }],
    });
    expect((options.pubKeyCredParams as { alg: number }[]).map(({ alg }) => alg)).toContain(-7);
    const remaining = new Date(expiresAt).getTime() - Date.now();
    expect(remaining).toBeGreaterThan(0);
    expect(remaining).toBeLessThanOrEqual(300_000);
  });

  it('registers a passkey, lists it, and signs in with it passwordless and by email', async () => {
    const { account, authenticator, passkey } = await withPasskey();
    expect(passkey).toMatchObject({
      name: 'Laptop',
      lastUsedAt: null,
      transports: ['internal'],
      deviceType: 'singleDevice',
      backedUp: false,
    });
    expect(await api.passkeys(account.token)).toEqual([
      {
        id: passkey.id,
        name: 'Laptop',
        lastUsedAt: null,
        transports: ['internal'],
        deviceType: 'singleDevice',
        backedUp: false,
      },
    ]);
    expect(logged).toContainEqual({
      message: 'security event: passkey.registered',
      fields: expect.objectContaining({ userId: account.userId, passkeyId: passkey.id }),
    });

    // Passwordless: no email, so no list of credentials; the browser offers its own.
    const discoverable = await api.loginOptions();
    expect(discoverable).toMatchObject({ rpId: 'localhost', userVerification: 'preferred' });
    expect(discoverable.allowCredentials).toBeUndefined();
    const signedIn = await api.finishLogin(authenticator.assert(discoverable));
    expect(signedIn.errors).toBeUndefined();
    const payload = signedIn.data!.finishPasskeyLogin as { token: string; user: { id: string } };
    expect(payload.user.id).toBe(account.userId);
    const me = await api.call('{ me { id email } }', undefined, payload.token);
    expect(me.data!.me).toEqual({ id: account.userId, email: account.email });
    const [used] = await api.passkeys(account.token);
    expect(used!.lastUsedAt).not.toBeNull();
    expect(logged).toContainEqual({
      message: 'security event: sign-in.succeeded',
      fields: expect.objectContaining({
        userId: account.userId,
        method: 'passkey',
        passkeyId: passkey.id,
      }),
    });

    // For an email: that account's passkeys only (case does not matter).
    const forEmail = await api.loginOptions(account.email.toUpperCase());
    expect(forEmail.allowCredentials).toEqual([
      { id: authenticator.id, type: 'public-key', transports: ['internal'] },
    ]);
    const again = await api.finishLogin(authenticator.assert(forEmail));
    expect(again.errors).toBeUndefined();
  });

  it('refuses an answer to a challenge used already, for sign-in and registration', async () => {
    const { account, authenticator } = await withPasskey();
    const response = authenticator.assert(await api.loginOptions());
    expect((await api.finishLogin(response)).errors).toBeUndefined();
    const replay = await api.finishLogin(response);
    expect(errorCodes(replay)).toEqual(['UNAUTHENTICATED']);
    expect(replay.errors![0]!.message).toMatch(/already used/);

    const second = new SoftwareAuthenticator();
    const registration = second.register(await api.registrationOptions(account.token));
    expect((await api.finishRegistration(account.token, registration)).errors).toBeUndefined();
    const third = new SoftwareAuthenticator();
    // Another credential over the same, spent, challenge.
    const spent = third.register({ challenge: challengeIn(registration) });
    expect(errorCodes(await api.finishRegistration(account.token, spent))).toEqual([
      'UNAUTHENTICATED',
    ]);
    expect(await api.passkeys(account.token)).toHaveLength(2);
  });

  it('refuses a tampered answer, and its challenge is spent', async () => {
    const { account, authenticator } = await withPasskey();
    const options = await api.loginOptions();
    const honest = authenticator.assert(options);
    const credential = JSON.parse(honest) as { response: { signature: string } };
    const signature = Buffer.from(credential.response.signature, 'base64url');
    const last = signature.length - 1;
    signature.writeUInt8(signature.readUInt8(last) ^ 0x01, last);
    credential.response.signature = signature.toString('base64url');
    const tampered = await api.finishLogin(JSON.stringify(credential));
    expect(errorCodes(tampered)).toEqual(['UNAUTHENTICATED']);
    expect(tampered.data).toBeNull();
    expect(logged).toContainEqual({
      message: 'security event: sign-in.failed',
      fields: expect.objectContaining({ userId: account.userId, method: 'passkey' }),
    });
    // One answer per challenge: the honest one, now, is too late.
    expect(errorCodes(await api.finishLogin(honest))).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses a passkey it does not know', async () => {
    await withPasskey();
    const stranger = new SoftwareAuthenticator();
    const refused = await api.finishLogin(stranger.assert(await api.loginOptions()));
    expect(errorCodes(refused)).toEqual(['UNAUTHENTICATED']);
    expect(refused.errors![0]!.message).toMatch(/not registered/);
  });

  it('refuses answers from a page of another origin, and stores nothing', async () => {
    const account = await api.signUp();
    const phished = new SoftwareAuthenticator('https://evil.example');
    const registration = await api.finishRegistration(
      account.token,
      phished.register(await api.registrationOptions(account.token)),
    );
    expect(errorCodes(registration)).toEqual(['UNAUTHENTICATED']);
    expect(registration.errors![0]!.message).toMatch(/origin/);
    expect(await api.passkeys(account.token)).toEqual([]);

    const { authenticator } = await withPasskey();
    authenticator.origin = 'https://evil.example';
    const login = await api.finishLogin(authenticator.assert(await api.loginOptions()));
    expect(errorCodes(login)).toEqual(['UNAUTHENTICATED']);
    expect(login.errors![0]!.message).toMatch(/origin/);
  });

  it('refuses an answer for another relying party', async () => {
    const { authenticator } = await withPasskey();
    const options = await api.loginOptions();
    const login = await api.finishLogin(authenticator.assert({ ...options, rpId: 'evil.example' }));
    expect(errorCodes(login)).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses a signature counter that did not grow (a cloned authenticator)', async () => {
    const { authenticator } = await withPasskey();
    expect((await api.finishLogin(authenticator.assert(await api.loginOptions()))).errors).toBe(
      undefined,
    );
    const clone = authenticator.assert(await api.loginOptions(), { advanceCounter: false });
    const refused = await api.finishLogin(clone);
    expect(errorCodes(refused)).toEqual(['UNAUTHENTICATED']);
    expect(refused.errors![0]!.message).toMatch(/counter/);
    // The original, whose counter moves on, still signs in.
    expect((await api.finishLogin(authenticator.assert(await api.loginOptions()))).errors).toBe(
      undefined,
    );
  });

  it("refuses someone else's passkey for a sign-in started for an email", async () => {
    const alice = await withPasskey();
    const bob = await withPasskey();
    const forBob = await api.loginOptions(bob.account.email);
    expect(errorCodes(await api.finishLogin(alice.authenticator.assert(forBob)))).toEqual([
      'UNAUTHENTICATED',
    ]);
  });

  it("refuses a registration that answers another user's challenge", async () => {
    const alice = await api.signUp();
    const bob = await api.signUp();
    const response = new SoftwareAuthenticator().register(
      await api.registrationOptions(alice.token),
    );
    expect(errorCodes(await api.finishRegistration(bob.token, response))).toEqual([
      'UNAUTHENTICATED',
    ]);
    expect(await api.passkeys(bob.token)).toEqual([]);
    // Alice's challenge is still hers to answer.
    expect((await api.finishRegistration(alice.token, response)).errors).toBeUndefined();
  });

  it('answers BAD_USER_INPUT for malformed input, and leaves the ceremony open', async () => {
    const account = await api.signUp();
    const authenticator = new SoftwareAuthenticator();
    const response = authenticator.register(await api.registrationOptions(account.token));
    for (const bad of [
      'not json',
      '{"id": 1}',
      JSON.stringify({ ...JSON.parse(response), type: 'password' }),
    ]) {
      const result = await api.finishRegistration(account.token, bad);
      expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors![0]!.extensions!.field).toBe('response');
    }
    const blank = await api.finishRegistration(account.token, response, '   ');
    expect(errorCodes(blank)).toEqual(['BAD_USER_INPUT']);
    expect(blank.errors![0]!.extensions!.field).toBe('name');
    expect(errorCodes(await api.finishLogin('{'))).toEqual(['BAD_USER_INPUT']);
    expect(await api.passkeys(account.token)).toEqual([]);
    const registered = await api.finishRegistration(account.token, response);
    expect(registered.errors).toBeUndefined();
    expect((registered.data!.finishPasskeyRegistration as Passkey).name).toMatch(
      /^Passkey added \d{4}-\d{2}-\d{2}$/,
    );
  });

  it('refuses to register one credential twice', async () => {
    const { account, authenticator } = await withPasskey();
    const again = authenticator.register(await api.registrationOptions(account.token));
    expect(errorCodes(await api.finishRegistration(account.token, again))).toEqual(['CONFLICT']);
    const other = await api.signUp();
    const theirs = authenticator.register(await api.registrationOptions(other.token));
    expect(errorCodes(await api.finishRegistration(other.token, theirs))).toEqual(['CONFLICT']);
    expect(await api.passkeys(other.token)).toEqual([]);
  });

  it("renames and removes the user's own passkeys, and nobody else's", async () => {
    const alice = await withPasskey();
    const bob = await api.signUp();
    expect(errorCodes(await api.call(PASSKEYS))).toEqual(['UNAUTHENTICATED']);

    const renamed = await api.call(
      RENAME,
      { id: alice.passkey.id, name: ' Phone ' },
      alice.account.token,
    );
    expect(renamed.data!.renamePasskey).toEqual({ id: alice.passkey.id, name: 'Phone' });
    const blank = await api.call(RENAME, { id: alice.passkey.id, name: '' }, alice.account.token);
    expect(errorCodes(blank)).toEqual(['BAD_USER_INPUT']);
    for (const id of [alice.passkey.id, 'not-a-uuid']) {
      expect(errorCodes(await api.call(RENAME, { id, name: 'Mine' }, bob.token))).toEqual([
        'NOT_FOUND',
      ]);
      expect(errorCodes(await api.call(REMOVE, { id }, bob.token))).toEqual(['NOT_FOUND']);
    }
    expect((await api.passkeys(alice.account.token)).map(({ name }) => name)).toEqual(['Phone']);
    // Bob's attempts left it working.
    expect(
      (await api.finishLogin(alice.authenticator.assert(await api.loginOptions()))).errors,
    ).toBe(undefined);

    const removed = await api.call(REMOVE, { id: alice.passkey.id }, alice.account.token);
    expect(removed.data!.removePasskey).toBe(true);
    expect(await api.passkeys(alice.account.token)).toEqual([]);
    expect(logged).toContainEqual({
      message: 'security event: passkey.removed',
      fields: expect.objectContaining({
        userId: alice.account.userId,
        passkeyId: alice.passkey.id,
      }),
    });
    const after = await api.finishLogin(alice.authenticator.assert(await api.loginOptions()));
    expect(errorCodes(after)).toEqual(['UNAUTHENTICATED']);
  });
});

// On a database of its own, without GraphQL: a short challenge lifetime, and
// the functions the MFA login calls.
describe('passkey ceremonies on the database', () => {
  const securityConfig = config();
  let database: Awaited<ReturnType<typeof openSubgraphDatabase<typeof tables>>>;
  beforeAll(async () => {
    database = await openSubgraphDatabase(securityConfig, join(__dirname, '..', 'src'), tables);
    await seedRoles(database.db);
  });
  afterAll(() => database.close());
  const newUser = async (email: string) =>
    (await insertUser(database.db, { email, displayName: email, passwordHash: 'x' }, [
      DEFAULT_ROLE,
    ]))!;

  it('refuses an answer after its challenge expired', async () => {
    const context = { db: database.db, webauthn: { ...WEBAUTHN, challengeTtlSeconds: 1 } };
    const user = await newUser('late@example.com');
    const { options, expiresAt } = await startRegistration(context, user);
    expect(expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(1_000);
    const late = new SoftwareAuthenticator().register(options as Options);
    await waitFor(() => Date.now() > expiresAt.getTime(), 'the challenge to expire');
    await expect(finishRegistration(context, user.id, late, undefined)).rejects.toMatchObject({
      reason: expect.stringMatching(/expired/),
    });
    expect(await passkeysOfUser(database.db, user.id)).toEqual([]);
  });

  it("verifies a user's passkey over the caller's challenge, and nothing else (a second factor)", async () => {
    const context = { db: database.db, webauthn: WEBAUTHN };
    const alice = await newUser('mfa-alice@example.com');
    const bob = await newUser('mfa-bob@example.com');
    expect(await passkeyAssertionOptions(context, alice.id)).toBeUndefined();

    const authenticator = new SoftwareAuthenticator();
    const options = await startRegistration(context, alice);
    const registered = await finishRegistration(
      context,
      alice.id,
      authenticator.register(options.options as Options),
      undefined,
    );
    expect(registered).toBeDefined();

    const challenge = Buffer.from('the second factor challenge').toString('base64url');
    const mfa = (await passkeyAssertionOptions(context, alice.id, challenge))!;
    expect(mfa.challenge).toBe(challenge);
    expect(mfa.allowCredentials).toEqual([
      { id: authenticator.id, type: 'public-key', transports: ['internal'] },
    ]);
    const answer = authenticator.assert(mfa);
    const used = await verifyPasskeyAssertion(context, {
      userId: alice.id,
      expectedChallenge: challenge,
      response: answer,
    });
    expect(used.id).toBe(registered!.id);
    expect(used.counter).toBe(authenticator.counter);

    const refusals = [
      // Another challenge than the caller's.
      { userId: alice.id, expectedChallenge: 'b3RoZXI', response: authenticator.assert(mfa) },
      // Another user's second factor.
      { userId: bob.id, expectedChallenge: challenge, response: authenticator.assert(mfa) },
      // The same answer again: its counter did not grow.
      { userId: alice.id, expectedChallenge: challenge, response: answer },
    ];
    for (const refusal of refusals) {
      await expect(verifyPasskeyAssertion(context, refusal)).rejects.toMatchObject({
        extensions: { code: 'UNAUTHENTICATED' },
      });
    }
    await expect(
      verifyPasskeyAssertion(context, {
        userId: alice.id,
        expectedChallenge: challenge,
        response: 'x',
      }),
    ).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
  });
});

/** The challenge a credential JSON answers. */
function challengeIn(response: string): string {
  const { clientDataJSON } = (JSON.parse(response) as { response: { clientDataJSON: string } })
    .response;
  return (JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString()) as { challenge: string })
    .challenge;
}
