// Who the page acts as: a token from login or signUp, taken again with the same credentials a
// minute before it expires. The credentials stay in this tab's memory only (a reload signs
// out), like the sign-in bar of the router's GraphiQL.
import { graphqlRequest } from './graphql.js';

/** Log in again this long before the token expires (tokens live 15 minutes by default). */
const RENEW_BEFORE_MS = 60_000;

export type SignInMode = 'login' | 'signUp';

export interface Credentials {
  email: string;
  password: string;
}

export interface SessionUser {
  id: string;
  email: string;
}

interface AuthPayload {
  token: string;
  expiresAt: string;
  user: SessionUser;
}

export interface Session {
  user: SessionUser;
  /** A token valid for at least a minute more. */
  token(): Promise<string>;
}

const authMutation = (field: SignInMode) => `
  mutation SignIn($input: ${field === 'login' ? 'LoginInput' : 'SignUpInput'}!) {
    auth: ${field}(input: $input) { token expiresAt user { id email } }
  }`;

async function authenticate(routerUrl: string, mode: SignInMode, credentials: Credentials) {
  const { auth } = await graphqlRequest<{ auth: AuthPayload }>(routerUrl, authMutation(mode), {
    input: credentials,
  });
  return auth;
}

export async function signIn(
  routerUrl: string,
  mode: SignInMode,
  credentials: Credentials,
): Promise<Session> {
  let current = await authenticate(routerUrl, mode, credentials);
  let renewal: Promise<AuthPayload> | undefined;
  const expiresSoon = () => Date.parse(current.expiresAt) - RENEW_BEFORE_MS <= Date.now();
  return {
    user: current.user,
    async token() {
      if (expiresSoon()) {
        // One login for all the callers that find the token old at once.
        renewal ??= authenticate(routerUrl, 'login', credentials).finally(() => {
          renewal = undefined;
        });
        current = await renewal;
      }
      return current.token;
    },
  };
}
