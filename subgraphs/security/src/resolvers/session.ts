// Session: a signed-in device of the user, as the user sees it.
import type { SessionResolvers } from '../generated/resolvers-types.js';

export const Session: SessionResolvers = {
  current: (session, _args, { identity }) => identity?.sessionId === session.id,
};
