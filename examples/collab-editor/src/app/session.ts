// Who the page acts as: a token from login or signUp, taken again with the same credentials a
// minute before it expires (halfway, for a token of less than two minutes). The credentials stay in this tab's memory only (a reload signs
// out), like the sign-in bar of the router's GraphiQL.
import { graphqlRequest } from './graphql.js';

/** Log in again this long before the token expires (tokens live 15 minutes by default)... */
const RENEW_BEFORE_MS = 60_000;
/** ...or halfway through a shorter life, and never sooner than this after the last login
 * (a clock far off the server's must not make the page log in in a loop). */
const MIN_RENEW_DELAY_MS = 2_000;

const RENEW_RETRY_MS = 5_000;

/** When to log in again after receiving a token that expires at `expiresAt`. */
function renewalTime(expiresAt: string, now = Date.now()): number {
  const lifetime = Date.parse(expiresAt) - now;
  return now + Math.max(MIN_RENEW_DELAY_MS, lifetime - RENEW_BEFORE_MS, lifetime / 2);
}

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
  /** The current token, renewed first if its renewal is due. */
  token(): Promise<string>;
  /** Called after each renewal: a WebSocket opened with the old token must reconnect, since
   * the router ends its subscriptions when that token expires. Returns the unsubscribe. */
  onRenewed(listener: () => void): () => void;
  /** Stops renewing (sign-out). */
  close(): void;
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
  let renewAt = renewalTime(current.expiresAt);
  let renewal: Promise<AuthPayload> | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  const listeners = new Set<() => void>();

  const renew = () => {
    // One login for all the callers that find the token old at once.
    renewal ??= authenticate(routerUrl, 'login', credentials)
      .then((renewed) => {
        current = renewed;
        renewAt = renewalTime(renewed.expiresAt);
        schedule();
        for (const listener of listeners) listener();
        return renewed;
      })
      .finally(() => {
        renewal = undefined;
      });
    return renewal;
  };

  // Renewed ahead of time even when nothing asks for a token, so that an open editor's
  // connection moves to a fresh token before the old one expires.
  function schedule(delayMs = renewAt - Date.now()) {
    clearTimeout(timer);
    if (closed) return;
    // A failed login (the router unreachable for a moment) is tried again.
    timer = setTimeout(
      () => void renew().catch(() => schedule(RENEW_RETRY_MS)),
      Math.max(0, delayMs),
    );
  }
  schedule();

  return {
    user: current.user,
    async token() {
      if (renewAt <= Date.now()) current = await renew();
      return current.token;
    },
    onRenewed(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      closed = true;
      clearTimeout(timer);
      listeners.clear();
    },
  };
}
