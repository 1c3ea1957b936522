// What a stranger learns about accounts: signUp's refusal of a taken email neither names nor
// confirms it, and roles (who the admins are) are only for the user and administrators, at the
// router and at the security subgraph reached directly through _entities.
import { graphql } from '@supergraph/kit/testing';
import { signUp, startSupergraph, type Supergraph } from '../harness.js';

let supergraph: Supergraph;
let adminId: string;
let adminToken: string;
beforeAll(async () => {
  supergraph = await startSupergraph({ env: { DEMO_USER: 'true' } });
  const login = await graphql(supergraph.url, {
    query:
      'mutation { login(input: { email: "demo@example.com", password: "demo-password" }) { token user { id } } }',
  });
  adminToken = login.data!['login'].token;
  adminId = login.data!['login'].user.id;
});
afterAll(() => supergraph.close());

describe('signUp', () => {
  it('refuses a taken email without naming or confirming it', async () => {
    const { email } = await signUp(supergraph.url);
    const again = await graphql(supergraph.url, {
      query: 'mutation($i: SignUpInput!) { signUp(input: $i) { token } }',
      variables: { i: { email, password: 'another long password' } },
    });
    expect(again.errors).toHaveLength(1);
    const [error] = again.errors!;
    expect(error!.message).not.toContain(email);
    expect(error!.message).not.toContain(email.split('@')[0]!);
    expect(error!.message).not.toMatch(/already exists|is taken|registered/i);
    expect(error!.extensions).toMatchObject({ field: 'input.email' });
  });
});

describe('User.roles', () => {
  const rolesOf = (id: string, token?: string) =>
    graphql(supergraph.url, {
      query: 'query($id: ID!) { user(id: $id) { id roles } }',
      variables: { id },
      ...(token ? { token } : {}),
    });

  it('is null for an anonymous caller and for another member', async () => {
    expect((await rolesOf(adminId)).data).toEqual({ user: { id: adminId, roles: null } });
    const member = await signUp(supergraph.url);
    expect((await rolesOf(adminId, member.token)).data).toEqual({
      user: { id: adminId, roles: null },
    });
  });

  it('is null through _entities at the security subgraph too', async () => {
    const direct = await graphql(supergraph.subgraphUrls.security, {
      query: 'query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id roles } } }',
      variables: { r: [{ __typename: 'User', id: adminId }] },
    });
    expect(direct.data).toEqual({ _entities: [{ id: adminId, roles: null }] });
  });

  it('is shown to the user themself and to an administrator', async () => {
    const member = await signUp(supergraph.url);
    const own = await graphql(supergraph.url, { query: '{ me { roles } }', token: member.token });
    expect(own.data).toEqual({ me: { roles: ['member'] } });
    expect((await rolesOf(member.userId, adminToken)).data).toEqual({
      user: { id: member.userId, roles: ['member'] },
    });
    expect((await rolesOf(adminId, adminToken)).data!['user'].roles).toContain('admin');
  });
});
