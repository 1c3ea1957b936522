// Tokens refused although their signature and expiry are fine: those of an ended session, a
// user's tokens issued before a moment (e.g. a role change), and those of a signing key from
// the end of its grace. The security subgraph records each revocation in its database, held
// until the tokens it covers have expired, and serves the live ones at /revocations; every
// verifier keeps them in a RevocationList, filled by polling that endpoint (which also catches
// up after an outage) and, with Redis, pushed at once over the pubsub. A subscription whose
// token is revoked learns it from `watch` and ends.
import type { Logger } from './logger.js';
import { openPubSub, type PubSubHandle } from './pubsub.js';

/** Times are ISO-8601 strings, as they travel over HTTP and the pubsub. */
export type Revocation =
  | { kind: 'session'; id: string; until: string }
  | { kind: 'user'; id: string; issuedBefore: string; until: string }
  | { kind: 'key'; id: string; from: string; until: string };

/** What a verified token says about itself, as far as revocation is concerned. */
export interface TokenFacts {
  userId: string;
  sessionId?: string | undefined;
  /** Epoch ms. */
  issuedAt?: number | undefined;
  keyId?: string | undefined;
}

/** The pubsub topic revocations are pushed on. */
export const REVOCATIONS_TOPIC = 'security:revocations';
export type RevocationEvents = { [REVOCATIONS_TOPIC]: [Revocation[]] };

/** The path of the security subgraph's feed of live revocations. */
export const REVOCATIONS_PATH = '/revocations';

/** The feed's answer: the revocations recorded since `since`, and the `since` of the next poll. */
export interface RevocationFeedPage {
  revocations: Revocation[];
  cursor: string;
}

type Listener = (revocation: Revocation) => void;

const time = (iso: string) => Date.parse(iso);

/** Why a revocation covers a token, or undefined if it does not. */
function refusalOf(revocation: Revocation, facts: TokenFacts, now: number): string | undefined {
  switch (revocation.kind) {
    case 'session':
      return facts.sessionId === revocation.id
        ? "This token's session has ended (logout or revocation)"
        : undefined;
    case 'user':
      return facts.userId === revocation.id &&
        (facts.issuedAt === undefined || facts.issuedAt < time(revocation.issuedBefore))
        ? "This token was issued before its user's tokens were revoked"
        : undefined;
    case 'key':
      return facts.keyId === revocation.id && now >= time(revocation.from)
        ? 'This token is signed by a retired signing key'
        : undefined;
  }
}

export class RevocationList {
  /** By kind and id; a later revocation of the same thing replaces an earlier one. */
  private readonly entries = new Map<string, Revocation>();
  private readonly listeners = new Set<Listener>();

  get size(): number {
    return this.entries.size;
  }

  add(revocations: Iterable<Revocation>, now = Date.now()): void {
    for (const revocation of revocations) {
      if (time(revocation.until) <= now) continue;
      const key = `${revocation.kind}:${revocation.id}`;
      const known = this.entries.get(key);
      if (known && JSON.stringify(known) === JSON.stringify(revocation)) continue;
      this.entries.set(key, revocation);
      for (const listener of this.listeners) listener(revocation);
    }
    this.prune(now);
  }

  /** Why the token is refused, or undefined if no revocation covers it. */
  refusal(facts: TokenFacts, now = Date.now()): string | undefined {
    const candidates = [
      facts.sessionId && this.entries.get(`session:${facts.sessionId}`),
      this.entries.get(`user:${facts.userId}`),
      facts.keyId && this.entries.get(`key:${facts.keyId}`),
    ];
    for (const revocation of candidates) {
      const refusal = revocation ? refusalOf(revocation, facts, now) : undefined;
      if (refusal) return refusal;
    }
    return undefined;
  }

  /** Why tokens of the signing key `keyId` are refused (retired), or undefined. Checked before
   * the key is looked up, since a retired key also leaves the JWKS. */
  keyRefusal(keyId: string | undefined, now = Date.now()): string | undefined {
    const revocation = keyId === undefined ? undefined : this.entries.get(`key:${keyId}`);
    return revocation && refusalOf(revocation, { userId: '', keyId }, now);
  }

  /** Calls `onRevoked` once when a revocation that covers the token arrives, or when a key
   * revocation already held reaches its start; the returned function stops watching. */
  watch(facts: TokenFacts, onRevoked: (refusal: string) => void): () => void {
    let timer: NodeJS.Timeout | undefined;
    const stop = () => {
      this.listeners.delete(listener);
      clearTimeout(timer);
    };
    const fire = (refusal: string) => {
      stop();
      onRevoked(refusal);
    };
    const listener: Listener = (revocation) => {
      if (revocation.kind === 'key' && revocation.id === facts.keyId) {
        clearTimeout(timer);
        const wait = time(revocation.from) - Date.now();
        if (wait > 0) {
          timer = setTimeout(() => fire(refusalOf(revocation, facts, Date.now())!), wait);
          timer.unref();
          return;
        }
      }
      const refusal = refusalOf(revocation, facts, Date.now());
      if (refusal) fire(refusal);
    };
    this.listeners.add(listener);
    const key = facts.keyId && this.entries.get(`key:${facts.keyId}`);
    if (key) listener(key);
    return stop;
  }

  private prune(now: number) {
    for (const [key, revocation] of this.entries) {
      if (time(revocation.until) <= now) this.entries.delete(key);
    }
  }
}

export interface RevocationFollowerOptions {
  /** One page of the feed since `since` (undefined on the first poll: every live revocation). */
  load: (since: string | undefined, signal: AbortSignal) => Promise<RevocationFeedPage>;
  intervalMs: number;
  /** Redis, for revocations pushed the moment they are made. */
  redisUrl?: string | undefined;
  logger: Logger;
}

export interface RevocationFollower {
  /** Resolves after the first successful poll. */
  readonly firstPoll: Promise<void>;
  close(): Promise<void>;
}

/** Keeps `list` filled: polls the feed every `intervalMs` and listens to the pubsub. A feed
 * that cannot be reached is logged once per outage; tokens are then checked against what the
 * list already holds (an access token's short life bounds what a missed revocation allows). */
export function followRevocations(
  list: RevocationList,
  { load, intervalMs, redisUrl, logger }: RevocationFollowerOptions,
): RevocationFollower {
  const abort = new AbortController();
  let cursor: string | undefined;
  let failing = false;
  let timer: NodeJS.Timeout | undefined;
  let markFirst: () => void = () => {};
  const firstPoll = new Promise<void>((resolve) => (markFirst = resolve));

  const poll = async () => {
    try {
      const page = await load(cursor, abort.signal);
      list.add(page.revocations);
      cursor = page.cursor;
      if (failing) logger.info('revocation feed reachable again');
      failing = false;
      markFirst();
    } catch (error) {
      if (abort.signal.aborted) return;
      if (!failing) {
        logger.warn({ err: error }, 'revocation feed unreachable; retrying');
      }
      failing = true;
    }
    if (!abort.signal.aborted) {
      timer = setTimeout(() => void poll(), intervalMs);
      timer.unref();
    }
  };
  void poll();

  let pubsub: PubSubHandle<RevocationEvents> | undefined;
  let unsubscribe: () => Promise<unknown> = async () => {};
  if (redisUrl) {
    pubsub = openPubSub<RevocationEvents>(redisUrl);
    const events = pubsub.pubsub.subscribe(REVOCATIONS_TOPIC);
    void (async () => {
      for await (const revocations of events) list.add(revocations);
    })().catch((error: unknown) => logger.warn({ err: error }, 'revocation pubsub ended'));
    unsubscribe = async () => events.return?.();
  }

  return {
    firstPoll,
    async close() {
      abort.abort();
      clearTimeout(timer);
      // Unsubscribed before the connection quits: a command after QUIT would be refused
      // ("Connection is closed") with nobody to hear it.
      await unsubscribe();
      await pubsub?.close();
    },
  };
}

/** The feed of the security subgraph at `url`, over HTTP. */
export function httpRevocationFeed(url: string): RevocationFollowerOptions['load'] {
  return async (since, signal) => {
    const target = new URL(url);
    if (since) target.searchParams.set('since', since);
    const response = await fetch(target, {
      signal: AbortSignal.any([signal, AbortSignal.timeout(5_000)]),
    });
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(`GET ${target.pathname} answered ${response.status}`);
    }
    const page = (await response.json()) as RevocationFeedPage;
    if (!Array.isArray(page.revocations) || typeof page.cursor !== 'string') {
      throw new Error(`GET ${target.pathname} answered something that is not a revocation feed`);
    }
    return page;
  };
}
