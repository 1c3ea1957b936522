// Passkeys in GraphQL: registration and sign-in ceremonies (src/passkeys.ts does the
// WebAuthn work), and the signed-in user's list, renaming and removal. Every registration,
// removal and sign-in, refused or not, is logged with its user for the audit trail.
import { accountKey, codedError, isUuid, parseInput } from '@supergraph/kit';
import { deletePasskey, passkeysOfUser, renamePasskey } from '../db/passkeys.js';
import { findUserByEmail } from '../db/users.js';
import { recordSecurityEvent } from '../security-events.js';
import type { SecurityContext } from '../context.js';
import type { MutationResolvers, QueryResolvers } from '../generated/resolvers-types.js';
import {
  finishLogin,
  finishRegistration,
  passkeyNameShape,
  passkeyRefused,
  PasskeyRefusal,
  startLogin,
  startRegistration,
} from '../passkeys.js';
import { signIn, signInRequired } from './mutation.js';

const passkeyNotFound = () =>
  codedError('NOT_FOUND', 'You have no passkey with this id.', { extensions: { field: 'id' } });

/** Runs a ceremony step; a refusal becomes UNAUTHENTICATED and is recorded as a failure of
 * `purpose`. */
async function refusedAsUnauthenticated<T>(
  context: SecurityContext,
  purpose: 'registration' | 'sign-in',
  step: () => Promise<T>,
): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (!(error instanceof PasskeyRefusal)) throw error;
    await recordSecurityEvent(context, {
      type: purpose === 'sign-in' ? 'sign-in.failed' : 'passkey.registration-refused',
      userId: error.userId ?? null,
      details: { method: 'passkey', reason: error.reason },
    });
    throw passkeyRefused(error);
  }
}

export const PasskeyQuery: Pick<QueryResolvers, 'passkeys'> = {
  passkeys: (_parent, _args, { identity, db }) => {
    if (!identity) throw signInRequired();
    return passkeysOfUser(db, identity.userId);
  },
};

export const PasskeyMutation: Pick<
  MutationResolvers,
  | 'startPasskeyRegistration'
  | 'finishPasskeyRegistration'
  | 'startPasskeyLogin'
  | 'finishPasskeyLogin'
  | 'renamePasskey'
  | 'removePasskey'
> = {
  async startPasskeyRegistration(_parent, _args, context) {
    const user = context.identity && (await context.users.load(context.identity.userId));
    if (!user) throw signInRequired();
    return startRegistration(context, user);
  },

  async finishPasskeyRegistration(_parent, { response, name }, context) {
    const { identity } = context;
    if (!identity) throw signInRequired();
    // Checked before the challenge is taken: bad input leaves the ceremony open.
    const validName = name == null ? undefined : parseInput(passkeyNameShape, name, 'name');
    const passkey = await refusedAsUnauthenticated(context, 'registration', () =>
      finishRegistration(context, identity.userId, response, validName),
    );
    if (!passkey) {
      throw codedError('CONFLICT', 'This passkey is registered already.', {
        extensions: { field: 'response' },
      });
    }
    await recordSecurityEvent(context, {
      type: 'passkey.registered',
      userId: identity.userId,
      details: { passkeyId: passkey.id },
    });
    return passkey;
  },

  async startPasskeyLogin(_parent, { email }, context) {
    const user = email ? await findUserByEmail(context.db, accountKey(email)) : undefined;
    return startLogin(context, user);
  },

  async finishPasskeyLogin(_parent, { response }, context) {
    const passkey = await refusedAsUnauthenticated(context, 'sign-in', () =>
      finishLogin(context, response),
    );
    const user = await context.users.load(passkey.userId);
    if (!user) throw signInRequired();
    return signIn(context, user, 'passkey', { passkeyId: passkey.id });
  },

  async renamePasskey(_parent, { id, name }, { identity, db }) {
    if (!identity) throw signInRequired();
    const validName = parseInput(passkeyNameShape, name, 'name');
    const renamed = isUuid(id)
      ? await renamePasskey(db, identity.userId, id, validName)
      : undefined;
    if (!renamed) throw passkeyNotFound();
    return renamed;
  },

  async removePasskey(_parent, { id }, context) {
    const { identity, db } = context;
    if (!identity) throw signInRequired();
    const removed = isUuid(id) ? await deletePasskey(db, identity.userId, id) : undefined;
    if (!removed) throw passkeyNotFound();
    await recordSecurityEvent(context, {
      type: 'passkey.removed',
      userId: identity.userId,
      details: { passkeyId: removed.id },
    });
    return true;
  },
};
