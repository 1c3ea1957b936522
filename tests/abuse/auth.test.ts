// Attacks on sign-in through the router. A stolen refresh token: whichever of thief and owner
// uses it second ends the session for both. Garbage refresh tokens get the same coded refusal
// as used ones, and a mutation's refusal leaves the session as it was.
import { graphql } from '@supergraph/kit/testing';
import { startSupergraph, type Supergraph } from '../harness.js';

const PAYLOAD = 'token refreshToken session { id }';

let supergraph: Supergraph;
beforeAll(async () => {
  supergraph = await startSupergraph();
});
afterAll(() => supergraph.close());

async function signIn() {
  const email = `auth-${Date.now()}-${Math.random()}@example.com`;
  const { data, errors } = await graphql(supergraph.url, {
    query: `mutation($i: SignUpInput!) { signUp(input: $i) { ${PAYLOAD} } }`,
    variables: { i: { email, password: 'a long password' } },
  });
  expect(errors).toBeUndefined();
  return data!['signUp'] as { token: string; refreshToken: string; session: { id: string } };
}

const refresh = (refreshToken: string) =>
  graphql(supergraph.url, {
    query: `mutation($t: String!) { refreshSession(refreshToken: $t) { ${PAYLOAD} } }`,
    variables: { t: refreshToken },
  });

const codes = (result: { errors?: readonly { extensions?: Record<string, unknown> }[] }) =>
  (result.errors ?? []).map((error) => error.extensions?.['code']);

describe('a stolen refresh token', () => {
  it('ends the session for thief and owner once either uses it a second time', async () => {
    const owner = await signIn();
    // The thief refreshes first, with a copy of the owner's token.
    const thief = await refresh(owner.refreshToken);
    expect(thief.errors).toBeUndefined();
    const thiefNext = thief.data!['refreshSession'].refreshToken as string;
    // The owner's refresh is a second use: the session ends.
    const ownerTry = await refresh(owner.refreshToken);
    expect(codes(ownerTry)).toEqual(['UNAUTHENTICATED']);
    // The thief's newer token is worthless now.
    expect(codes(await refresh(thiefNext))).toEqual(['UNAUTHENTICATED']);
    // The owner's session no longer lists.
    const listed = await graphql(supergraph.url, {
      query: '{ sessions { id } }',
      token: owner.token,
    });
    expect(listed.data!['sessions']).toEqual([]);
  });

  it('gives garbage and forged refresh tokens the same refusal, and ends nothing', async () => {
    const owner = await signIn();
    for (const token of ['', 'x', owner.refreshToken.slice(0, -1), 'A'.repeat(10_000)]) {
      expect(codes(await refresh(token))).toEqual(['UNAUTHENTICATED']);
    }
    expect((await refresh(owner.refreshToken)).errors).toBeUndefined();
  });
});
