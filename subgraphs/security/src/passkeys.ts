// Passkeys (WebAuthn) with @simplewebauthn/server: the options of the registration and
// sign-in ceremonies, and the verification of what the authenticator answered. Challenges
// are stored server-side (db/passkeys.ts), bound to their user and purpose, short-lived and
// taken once. `passkeyAssertionOptions` and `verifyPasskeyAssertion` check a passkey of a
// known user against a challenge the caller keeps, for a passkey as a second factor.
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransportFuture,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { decodeClientDataJSON, isoBase64URL } from '@simplewebauthn/server/helpers';
import { badInput, codedError, type Database } from '@supergraph/kit';
import { z } from 'zod';
import {
  insertPasskey,
  passkeyByCredentialId,
  passkeysOfUser,
  recordPasskeyUse,
  storeChallenge,
  takeChallenge,
} from './db/passkeys.js';
import type { PasskeyRow, tables, UserRow } from './db/schema.js';

export interface WebAuthnSettings {
  /** The relying party's id: the site's domain (`localhost` in development). */
  rpId: string;
  /** Shown by authenticators beside the account. */
  rpName: string;
  /** Origins of the pages that may run the ceremonies (`https://app.example.com`). */
  origins: readonly string[];
  /** How long a challenge may wait to be answered. */
  challengeTtlSeconds: number;
}

/** What the ceremonies need of a request's context. */
export interface PasskeyContext {
  db: Database<typeof tables>;
  webauthn: WebAuthnSettings;
}

type Json = Record<string, unknown>;

/** Options for the browser (`navigator.credentials`), with the end of their challenge. */
export interface PasskeyOptions {
  options: Json;
  expiresAt: Date;
}

/** A credential's JSON is a few KB; a larger one is not an authenticator's. */
const MAX_RESPONSE_CHARS = 65_536;
const MAX_NAME = 100;
const ALL_TRANSPORTS: readonly AuthenticatorTransportFuture[] = [
  'ble',
  'cable',
  'hybrid',
  'internal',
  'nfc',
  'smart-card',
  'usb',
];

const base64url = z.string().regex(/^[A-Za-z0-9_-]+={0,2}$/, 'must be base64url');

/** The JSON of a PublicKeyCredential (`credential.toJSON()`, or @simplewebauthn/browser's). */
const credentialShape = z.object({
  id: base64url.max(1_400),
  rawId: base64url.max(1_400),
  type: z.literal('public-key'),
  clientExtensionResults: z.record(z.unknown()).default({}),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
});
const registrationShape = credentialShape.extend({
  response: z
    .object({
      clientDataJSON: base64url,
      attestationObject: base64url,
      transports: z.array(z.string()).optional(),
    })
    .passthrough(),
});
const assertionShape = credentialShape.extend({
  response: z
    .object({
      clientDataJSON: base64url,
      authenticatorData: base64url,
      signature: base64url,
      userHandle: base64url.optional(),
    })
    .passthrough(),
});

export const passkeyNameShape = z
  .string()
  .trim()
  .min(1, 'must not be blank')
  .max(MAX_NAME, `must be at most ${MAX_NAME} characters`);

/** The credential JSON sent as `response`, in the shape of `shape`; BAD_USER_INPUT otherwise. */
function parseCredential<S extends z.ZodTypeAny>(response: string, shape: S): z.output<S> {
  if (response.length > MAX_RESPONSE_CHARS) {
    throw badInput(`response must be at most ${MAX_RESPONSE_CHARS} characters.`, 'response');
  }
  let json: unknown;
  try {
    json = JSON.parse(response);
  } catch {
    throw badInput(
      'response must be the JSON of the PublicKeyCredential the browser answered (JSON.stringify(credential), or what @simplewebauthn/browser returns).',
      'response',
    );
  }
  const parsed = shape.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = ['response', ...issue.path].join('.');
    throw badInput(`${field} ${issue.message}.`, 'response');
  }
  return parsed.data as z.output<S>;
}

/** The challenge the authenticator signed, from the response's client data. */
function challengeOf(credential: { response: { clientDataJSON: string } }): string {
  try {
    const { challenge } = decodeClientDataJSON(credential.response.clientDataJSON);
    if (typeof challenge === 'string' && challenge) return challenge;
  } catch {
    // Reported below.
  }
  throw badInput(
    'response.response.clientDataJSON must be the base64url of the client data JSON, with its challenge.',
    'response',
  );
}

/** The WebAuthn user handle of a user: the 16 bytes of their UUID. */
const userHandleOf = (userId: string) =>
  new Uint8Array(Buffer.from(userId.replace(/-/g, ''), 'hex'));

const expiryOf = ({ challengeTtlSeconds }: WebAuthnSettings) =>
  new Date(Date.now() + challengeTtlSeconds * 1000);

const transportsOf = (transports: readonly string[] | undefined) =>
  (transports ?? []).filter((transport): transport is AuthenticatorTransportFuture =>
    ALL_TRANSPORTS.includes(transport as AuthenticatorTransportFuture),
  );

const descriptorsOf = (passkeys: readonly PasskeyRow[]) =>
  passkeys.map((passkey) => ({
    id: passkey.credentialId,
    transports: transportsOf(passkey.transports),
  }));

/** A refusal of a passkey ceremony: UNAUTHENTICATED, with why in `reason` for the logs. */
export class PasskeyRefusal extends Error {
  constructor(
    readonly reason: string,
    readonly userId?: string,
  ) {
    super(reason);
  }
}

/** The options of a registration for `user`, its challenge stored for them. */
export async function startRegistration(
  { db, webauthn }: PasskeyContext,
  user: UserRow,
): Promise<PasskeyOptions> {
  const existing = await passkeysOfUser(db, user.id);
  const expiresAt = expiryOf(webauthn);
  const options: PublicKeyCredentialCreationOptionsJSON = await generateRegistrationOptions({
    rpName: webauthn.rpName,
    rpID: webauthn.rpId,
    userName: user.email,
    userID: userHandleOf(user.id),
    userDisplayName: user.displayName,
    timeout: webauthn.challengeTtlSeconds * 1000,
    attestationType: 'none',
    excludeCredentials: descriptorsOf(existing),
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
  });
  await storeChallenge(db, options.challenge, {
    purpose: 'registration',
    userId: user.id,
    expiresAt,
  });
  return { options: options as unknown as Json, expiresAt };
}

/** Verifies a registration response of `userId` and stores the passkey; a refusal, or
 * `undefined` when the credential is registered already. */
export async function finishRegistration(
  { db, webauthn }: PasskeyContext,
  userId: string,
  response: string,
  name: string | undefined,
): Promise<PasskeyRow | undefined> {
  const credential = parseCredential(response, registrationShape);
  const challenge = challengeOf(credential);
  if (!(await takeChallenge(db, challenge, 'registration', userId))) {
    throw new PasskeyRefusal(
      'it answers no open registration challenge of yours (unknown, expired or already used); start again with startPasskeyRegistration',
      userId,
    );
  }
  let verification;
  try {
    verification = await verifyRegistrationResponse({
      response: credential as RegistrationResponseJSON,
      expectedChallenge: challenge,
      expectedOrigin: [...webauthn.origins],
      expectedRPID: webauthn.rpId,
      // Preferred, not required: a security key without a PIN may still be a passkey.
      requireUserVerification: false,
    });
  } catch (error) {
    throw new PasskeyRefusal(`it did not verify: ${(error as Error).message}`, userId);
  }
  if (!verification.verified) throw new PasskeyRefusal('its attestation did not verify', userId);
  const info = verification.registrationInfo;
  return insertPasskey(db, {
    userId,
    credentialId: info.credential.id,
    publicKey: info.credential.publicKey,
    counter: info.credential.counter,
    transports: transportsOf(credential.response.transports),
    deviceType: info.credentialDeviceType,
    backedUp: info.credentialBackedUp,
    aaguid: info.aaguid,
    name: name ?? `Passkey added ${new Date().toISOString().slice(0, 10)}`,
  });
}

/** Sign-in options and a stored challenge. With `user` (who has passkeys): that user's
 * passkeys only; without: any discoverable passkey of this site (passwordless). */
export async function startLogin(
  { db, webauthn }: PasskeyContext,
  user: UserRow | undefined,
): Promise<PasskeyOptions> {
  const own = user ? await passkeysOfUser(db, user.id) : [];
  const expiresAt = expiryOf(webauthn);
  const options = await generateAuthenticationOptions({
    rpID: webauthn.rpId,
    allowCredentials: own.length ? descriptorsOf(own) : undefined,
    userVerification: 'preferred',
    timeout: webauthn.challengeTtlSeconds * 1000,
  });
  await storeChallenge(db, options.challenge, {
    purpose: 'login',
    userId: own.length ? user!.id : null,
    expiresAt,
  });
  return { options: options as unknown as Json, expiresAt };
}

/** Verifies a sign-in response against a stored login challenge: the passkey used, updated. */
export async function finishLogin(context: PasskeyContext, response: string): Promise<PasskeyRow> {
  const credential = parseCredential(response, assertionShape);
  const challenge = challengeOf(credential);
  const stored = await takeChallenge(context.db, challenge, 'login');
  if (!stored) {
    throw new PasskeyRefusal(
      'it answers no open sign-in challenge (unknown, expired or already used); start again with startPasskeyLogin',
    );
  }
  const passkey = await passkeyByCredentialId(context.db, credential.id);
  if (!passkey || (stored.userId && stored.userId !== passkey.userId)) {
    throw new PasskeyRefusal('this passkey is not registered here', stored.userId ?? undefined);
  }
  return checkAssertion(context, credential, passkey, challenge);
}

/** Verifies the signature of `credential` by `passkey` over `challenge`, checks its counter,
 * and records the use; the updated passkey, or a refusal. */
async function checkAssertion(
  { db, webauthn }: PasskeyContext,
  credential: z.output<typeof assertionShape>,
  passkey: PasskeyRow,
  challenge: string,
): Promise<PasskeyRow> {
  const refuse = (reason: string) => new PasskeyRefusal(reason, passkey.userId);
  const { userHandle } = credential.response;
  if (
    userHandle &&
    !Buffer.from(isoBase64URL.toBuffer(userHandle)).equals(userHandleOf(passkey.userId))
  ) {
    throw refuse('its user handle is not the one of the passkey');
  }
  let verification;
  try {
    verification = await verifyAuthenticationResponse({
      response: credential as AuthenticationResponseJSON,
      expectedChallenge: challenge,
      expectedOrigin: [...webauthn.origins],
      expectedRPID: webauthn.rpId,
      credential: {
        id: passkey.credentialId,
        publicKey: new Uint8Array(passkey.publicKey),
        counter: passkey.counter,
        transports: transportsOf(passkey.transports),
      },
      requireUserVerification: false,
    });
  } catch (error) {
    // The library also throws here for a counter that did not grow (a cloned authenticator).
    throw refuse(`it did not verify: ${(error as Error).message}`);
  }
  if (!verification.verified) throw refuse('its signature did not verify');
  const { newCounter, credentialBackedUp, credentialDeviceType } = verification.authenticationInfo;
  const used = await recordPasskeyUse(db, passkey, {
    counter: newCounter,
    backedUp: credentialBackedUp,
    deviceType: credentialDeviceType,
  });
  // Another use of the passkey was recorded since it was read: this one may be a replay.
  if (!used) throw refuse('the passkey was used concurrently');
  return used;
}

/** Options to ask for a passkey of `userId` over `challenge` (base64url, or generated): for a
 * second factor, whose caller keeps the challenge. Undefined when the user has no passkey. */
export async function passkeyAssertionOptions(
  { db, webauthn }: PasskeyContext,
  userId: string,
  challenge?: string,
): Promise<PublicKeyCredentialRequestOptionsJSON | undefined> {
  const own = await passkeysOfUser(db, userId);
  if (!own.length) return undefined;
  return generateAuthenticationOptions({
    rpID: webauthn.rpId,
    allowCredentials: descriptorsOf(own),
    userVerification: 'preferred',
    timeout: webauthn.challengeTtlSeconds * 1000,
    challenge: challenge === undefined ? undefined : isoBase64URL.toBuffer(challenge),
  });
}

/**
 * Verifies that `response` (the credential JSON from the browser) is a passkey of `userId`
 * signing `expectedChallenge` (base64url, as in the options given), on one of the configured
 * origins, with a growing counter; records the use. For a passkey as a second factor: the
 * caller owns the challenge and its single use. Throws BAD_USER_INPUT (not a credential's
 * JSON) or UNAUTHENTICATED; answers the passkey used.
 */
export async function verifyPasskeyAssertion(
  context: PasskeyContext,
  {
    userId,
    expectedChallenge,
    response,
  }: { userId: string; expectedChallenge: string; response: string },
): Promise<PasskeyRow> {
  const credential = parseCredential(response, assertionShape);
  try {
    const passkey = await passkeyByCredentialId(context.db, credential.id);
    if (!passkey || passkey.userId !== userId) {
      throw new PasskeyRefusal('this passkey is not one of the user', userId);
    }
    if (challengeOf(credential) !== expectedChallenge) {
      throw new PasskeyRefusal('it answers another challenge', userId);
    }
    return await checkAssertion(context, credential, passkey, expectedChallenge);
  } catch (error) {
    throw error instanceof PasskeyRefusal ? passkeyRefused(error) : error;
  }
}

/** The GraphQL error of a refusal. */
export const passkeyRefused = (refusal: PasskeyRefusal) =>
  codedError('UNAUTHENTICATED', `The passkey was not accepted: ${refusal.reason}.`);
