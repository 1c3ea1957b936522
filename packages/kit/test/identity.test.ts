// What a verifier refuses although a signature may check out: other algorithms (none, HS256
// keyed with the public key), keys the token brings along (jwk, jku, x5u, x5c), another issuer
// or audience, a token without exp, iat or sub, another token type; and what revocation
// covers (a session, a user's earlier tokens, a signing key from the end of its grace), also
// for a subscription's token that is already being watched.
import {
  SignJWT,
  UnsecuredJWT,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  type JWK,
  type JWTPayload,
} from 'jose';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createJwksVerifier,
  createLocalVerifier,
  RevocationList,
  untilTokenEnds,
  type Revocation,
} from '../src/index.js';

const ISSUER = 'urn:supergraph:security';
const AUDIENCE = 'urn:supergraph';
const options = { issuer: ISSUER, audience: AUDIENCE };

let key: Awaited<ReturnType<typeof generateKeyPair>>;
let publicJwk: JWK;
const KID = 'the-key';

beforeAll(async () => {
  key = await generateKeyPair('ES256', { extractable: true });
  publicJwk = { ...(await exportJWK(key.publicKey)), kid: KID, alg: 'ES256' };
});

const claims = { scope: 'memory:read', sid: 'session-1' };

/** A token as the security subgraph signs it, with what a case changes. */
function honest(
  change: { header?: Record<string, unknown>; payload?: JWTPayload; omit?: string[] } = {},
) {
  const now = Math.floor(Date.now() / 1000);
  const payload: JWTPayload = {
    ...claims,
    sub: 'user-1',
    iss: ISSUER,
    aud: AUDIENCE,
    iat: now,
    exp: now + 600,
    ...change.payload,
  };
  for (const claim of change.omit ?? []) delete payload[claim];
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'ES256', kid: KID, typ: 'JWT', ...change.header })
    .sign(key.privateKey);
}

const verifier = (revocations?: RevocationList) =>
  createLocalVerifier(() => ({ keys: [publicJwk] }), { ...options, revocations });

async function refusal(token: string | Promise<string>, revocations?: RevocationList) {
  try {
    await verifier(revocations).verify(await token);
  } catch (error) {
    const coded = error as { extensions?: { code?: string }; message: string };
    expect(coded.extensions?.code).toBe('UNAUTHENTICATED');
    return coded.message;
  }
  throw new Error('the token was accepted');
}

describe('token verification', () => {
  it('accepts an honest token', async () => {
    const identity = await verifier().verify(await honest());
    expect(identity).toMatchObject({ userId: 'user-1', sessionId: 'session-1' });
  });

  it('refuses alg none', async () => {
    const unsigned = new UnsecuredJWT({ ...claims, sub: 'user-1' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('10m')
      .encode();
    expect(await refusal(unsigned)).toMatch(/alg|algorithm/i);
  });

  it('refuses HS256 keyed with the public key', async () => {
    const secrets = [
      new TextEncoder().encode(await exportSPKI(key.publicKey)),
      new TextEncoder().encode(JSON.stringify(publicJwk)),
    ];
    for (const secret of secrets) {
      const forged = await new SignJWT({ ...claims })
        .setProtectedHeader({ alg: 'HS256', kid: KID, typ: 'JWT' })
        .setSubject('user-1')
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(secret);
      expect(await refusal(forged)).toMatch(/alg|algorithm/i);
    }
  });

  it('refuses a token that brings its own key (jwk, jku, x5u, x5c)', async () => {
    const attacker = await generateKeyPair('ES256', { extractable: true });
    const attackerJwk = await exportJWK(attacker.publicKey);
    const headers = [
      { jwk: attackerJwk },
      { jku: 'http://127.0.0.1:1/attacker-jwks.json' },
      { x5u: 'http://127.0.0.1:1/attacker.pem' },
      { x5c: ['MIIB'] },
    ];
    for (const header of headers) {
      const forged = await new SignJWT({ ...claims })
        .setProtectedHeader({ alg: 'ES256', typ: 'JWT', ...header })
        .setSubject('user-1')
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(attacker.privateKey);
      expect(await refusal(forged)).toMatch(/its own key/);
      // Signed with the real key, the header is refused all the same.
      expect(await refusal(honest({ header }))).toMatch(/its own key/);
    }
  });

  it('refuses another issuer or audience', async () => {
    expect(await refusal(honest({ payload: { iss: 'urn:someone-else' } }))).toMatch(/iss/);
    expect(await refusal(honest({ payload: { aud: 'urn:another-api' } }))).toMatch(/aud/);
  });

  it('refuses a token without exp, iat, sub, iss or aud', async () => {
    for (const claim of ['exp', 'iat', 'sub', 'iss', 'aud']) {
      expect(await refusal(honest({ omit: [claim] }))).toMatch(new RegExp(claim));
    }
  });

  it('refuses another token type', async () => {
    expect(await refusal(honest({ header: { typ: 'mfa-challenge+jwt' } }))).toMatch(/typ/);
  });
});

describe('revocation', () => {
  const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();

  it('refuses the tokens of a revoked session, and only those', async () => {
    const list = new RevocationList();
    list.add([{ kind: 'session', id: 'session-1', until: inAnHour() }]);
    expect(await refusal(honest(), list)).toMatch(/session has ended/);
    const other = await honest({ payload: { sid: 'session-2' } });
    await expect(verifier(list).verify(other)).resolves.toMatchObject({ sessionId: 'session-2' });
  });

  it("refuses a user's tokens issued before the revocation, not after", async () => {
    const list = new RevocationList();
    const now = Math.floor(Date.now() / 1000);
    list.add([
      {
        kind: 'user',
        id: 'user-1',
        issuedBefore: new Date(now * 1000).toISOString(),
        until: inAnHour(),
      },
    ]);
    expect(await refusal(honest({ payload: { iat: now - 10 } }), list)).toMatch(/issued before/);
    await expect(verifier(list).verify(await honest({ payload: { iat: now } }))).resolves.toEqual(
      expect.objectContaining({ userId: 'user-1' }),
    );
  });

  it("refuses a retired key's tokens from the end of its grace", async () => {
    const list = new RevocationList();
    const inGrace: Revocation = {
      kind: 'key',
      id: KID,
      from: new Date(Date.now() + 60_000).toISOString(),
      until: inAnHour(),
    };
    list.add([inGrace]);
    await expect(verifier(list).verify(await honest())).resolves.toBeTruthy();
    list.add([{ ...inGrace, from: new Date(Date.now() - 1).toISOString() }]);
    expect(await refusal(honest(), list)).toMatch(/retired signing key/);
  });

  it('forgets a revocation once no token it covers can still be valid', () => {
    const list = new RevocationList();
    list.add([{ kind: 'session', id: 'gone', until: new Date(Date.now() - 1).toISOString() }]);
    expect(list.size).toBe(0);
  });

  it('ends a watched subscription when its session is revoked', async () => {
    const list = new RevocationList();
    const identity = await verifier(list).verify(await honest());
    let release: () => void = () => {};
    async function* events() {
      yield { data: { n: 1 } };
      await new Promise<void>((resolve) => (release = resolve));
      yield { data: { n: 2 } };
    }
    const stream = untilTokenEnds(events(), identity);
    expect((await stream.next()).value).toEqual({ data: { n: 1 } });
    const next = stream.next();
    list.add([{ kind: 'session', id: 'session-1', until: inAnHour() }]);
    const last = (await next).value as { errors: { message: string; extensions: object }[] };
    expect(last.errors[0]!.extensions).toEqual({ code: 'UNAUTHENTICATED' });
    expect(last.errors[0]!.message).toMatch(/session has ended/);
    expect((await stream.next()).done).toBe(true);
    release();
  });
});

describe('a remote JWKS', () => {
  let server: Server;
  let served: JWK[];
  let fetches = 0;
  beforeAll(async () => {
    served = [];
    server = createServer((_request, response) => {
      fetches += 1;
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ keys: served }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('is fetched again for an unknown key id, at most once per cooldown', async () => {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
    const remote = createJwksVerifier(url, options);
    // The key is not served yet: the first fetch does not know it.
    await expect(remote.verify(await honest())).rejects.toThrow(/no applicable key|key/i);
    const afterFirst = fetches;
    served.push(publicJwk);
    // Within the cooldown, an unknown key id does not make the verifier fetch again: a flood
    // of tokens with made-up key ids cannot make it hammer the security subgraph.
    for (let i = 0; i < 5; i += 1) {
      await expect(
        remote.verify(await honest({ header: { kid: `made-up-${i}` } })),
      ).rejects.toBeTruthy();
    }
    expect(fetches - afterFirst).toBeLessThanOrEqual(1);
  });
});
