import { errorCodes, graphql } from '@supergraph/kit/testing';
import { createLocalVerifier } from '@supergraph/kit';
import { createSecuritySubgraph } from '../src/subgraph.js';
import type { SecurityConfig } from '../src/config.js';
import { testSecurityConfig } from './config.js';
import { SIGN_IN_THROTTLE_DEFAULTS } from '../src/sign-in-throttle-settings.js';

const SIGN_UP = /* GraphQL */ `
  mutation SignUp($input: SignUpInput!) {
    signUp(input: $input) {
      token
      tokenType
      expiresAt
      scopes
      user {
        id
        email
        displayName
        roles
      }
    }
  }
`;
const LOGIN = /* GraphQL */ `
  mutation Login($input: LoginInput!) {
    login(input: $input) {
      token
      user {
        id
        email
      }
    }
  }
`;

const config = (overrides: Partial<SecurityConfig> = {}): SecurityConfig =>
  testSecurityConfig({
    signInThrottle: { ...SIGN_IN_THROTTLE_DEFAULTS, accountFailures: 10 },
    ...overrides,
  });

describe('security subgraph', () => {
  let subgraph: Awaited<ReturnType<typeof createSecuritySubgraph>>;
  beforeAll(async () => {
    subgraph = await createSecuritySubgraph(config());
  });
  afterAll(() => subgraph.close());

  it('signs up, logs in, and knows who is asking', async () => {
    const input = { email: 'Ada@Example.com', password: 'correct horse', displayName: 'Ada' };
    const signUp = await graphql(subgraph.yoga, { query: SIGN_UP, variables: { input } });
    expect(signUp.errors).toBeUndefined();
    const payload = signUp.data!.signUp;
    expect(payload.tokenType).toBe('Bearer');
    expect(payload.user).toMatchObject({
      email: 'ada@example.com',
      displayName: 'Ada',
      roles: ['member'],
    });
    expect(payload.scopes).toContain('memory:write');
    expect(new Date(payload.expiresAt).getTime()).toBeGreaterThan(Date.now());

    const login = await graphql(subgraph.yoga, {
      query: LOGIN,
      variables: { input: { email: 'ada@example.com', password: 'correct horse' } },
    });
    expect(login.data!.login.user.id).toBe(payload.user.id);

    const me = await graphql(subgraph.yoga, {
      query: '{ me { id email } }',
      token: login.data!.login.token,
    });
    expect(me.data!.me).toEqual({ id: payload.user.id, email: 'ada@example.com' });
  });

  it('publishes a JWKS that verifies its tokens', async () => {
    const input = { email: 'jwks@example.com', password: 'long enough' };
    const { data } = await graphql(subgraph.yoga, { query: SIGN_UP, variables: { input } });
    const jwks = await (await subgraph.yoga.fetch('http://localhost/.well-known/jwks.json')).json();
    // The current key, and the next one, published ahead of its first token.
    expect(jwks.keys).toHaveLength(2);
    for (const key of jwks.keys) expect(key).not.toHaveProperty('d');
    const posted = await subgraph.yoga.fetch('http://localhost/.well-known/jwks.json', {
      method: 'POST',
    });
    expect(posted.status).toBe(405);
    const verifier = createLocalVerifier(() => jwks, {
      issuer: 'urn:supergraph:security',
      audience: 'urn:supergraph',
    });
    const identity = await verifier.verify(data!.signUp.token);
    expect(identity.userId).toBe(data!.signUp.user.id);
    expect(identity.scopes.has('memory:read')).toBe(true);
  });

  it('hides a user email from other users', async () => {
    const a = await graphql(subgraph.yoga, {
      query: SIGN_UP,
      variables: { input: { email: 'a@example.com', password: 'password-a' } },
    });
    const b = await graphql(subgraph.yoga, {
      query: SIGN_UP,
      variables: { input: { email: 'b@example.com', password: 'password-b' } },
    });
    const seen = await graphql(subgraph.yoga, {
      query: 'query($id: ID!) { user(id: $id) { id email displayName } }',
      variables: { id: a.data!.signUp.user.id },
      token: b.data!.signUp.token,
    });
    expect(seen.data!.user).toEqual({ id: a.data!.signUp.user.id, email: null, displayName: 'a' });
  });

  it.each([
    [{ email: 'not-an-email', password: 'long enough' }, 'input.email'],
    [{ email: 'short@example.com', password: 'short' }, 'input.password'],
    [
      { email: 'blank@example.com', password: 'long enough', displayName: '  ' },
      'input.displayName',
    ],
  ])('refuses bad sign-up input %j', async (input, field) => {
    const result = await graphql(subgraph.yoga, { query: SIGN_UP, variables: { input } });
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0]!.extensions!['field']).toBe(field);
    const login = await graphql(subgraph.yoga, {
      query: LOGIN,
      variables: { input: { email: input.email, password: input.password } },
    });
    expect(errorCodes(login)).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses a second account with the same email, keeping the first', async () => {
    const input = { email: 'twice@example.com', password: 'first password' };
    await graphql(subgraph.yoga, { query: SIGN_UP, variables: { input } });
    const again = await graphql(subgraph.yoga, {
      query: SIGN_UP,
      variables: { input: { ...input, password: 'second password' } },
    });
    expect(errorCodes(again)).toEqual(['CONFLICT']);
    const login = await graphql(subgraph.yoga, { query: LOGIN, variables: { input } });
    expect(login.errors).toBeUndefined();
  });

  it('refuses a wrong password and a forged token', async () => {
    const wrong = await graphql(subgraph.yoga, {
      query: LOGIN,
      variables: { input: { email: 'twice@example.com', password: 'not it at all' } },
    });
    expect(errorCodes(wrong)).toEqual(['UNAUTHENTICATED']);
    const forged = await graphql(subgraph.yoga, { query: '{ me { id } }', token: 'a.b.c' });
    expect(errorCodes(forged)).toEqual(['UNAUTHENTICATED']);
  });
});
