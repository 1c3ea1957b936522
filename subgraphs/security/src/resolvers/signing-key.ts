// SigningKey: a token-signing key as administrators see it.
import type { SigningKeyResolvers, SigningKeyStatus } from '../generated/resolvers-types.js';

export const SigningKey: SigningKeyResolvers = {
  status: (key) => key.state.toUpperCase() as SigningKeyStatus,
};
