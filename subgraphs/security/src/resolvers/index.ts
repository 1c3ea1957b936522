import { scalarResolvers } from '@supergraph/kit';
import type { Resolvers } from '../generated/resolvers-types.js';
import { MfaMutation, MfaQuery } from './mfa.js';
import { Mutation } from './mutation.js';
import { Query } from './query.js';
import { Session } from './session.js';
import { SigningKey } from './signing-key.js';
import { ssoMutation, ssoQuery } from './sso.js';
import { User } from './user.js';
import { PasskeyMutation, PasskeyQuery } from './passkeys.js';
import { AccountRecoveryMutation } from './account-recovery.js';
import { EmailVerificationMutation } from './email-verification.js';

export const resolvers: Resolvers = {
  DateTime: scalarResolvers.DateTime,
  JSON: scalarResolvers.JSON,
  Query: { ...Query, ...MfaQuery, ...PasskeyQuery, ...ssoQuery },
  Mutation: {
    ...Mutation,
    ...MfaMutation,
    ...PasskeyMutation,
    ...ssoMutation,
    ...AccountRecoveryMutation,
    ...EmailVerificationMutation,
  },
  User,
  Session,
  SigningKey,
};
