// Which fields of an operation the router counts as credential attempts (rate-limits.ts): login
// and signUp by account and address, the other sign-in steps by address only, wherever they
// hide (aliases, fragments), and nothing in queries.
import { parse } from 'graphql';
import { credentialAttempts } from '../src/rate-limits.js';

const attemptsOf = (source: string, variables?: Record<string, unknown>) =>
  credentialAttempts(parse(source), undefined, variables);

describe('credential attempts', () => {
  it('counts every sign-in step against the address, and names the account of login and signUp', () => {
    const attempts = attemptsOf(
      `mutation($c: String!) {
        login(input: { email: " Ann@Example.com ", password: "x" }) { token }
        signUp(input: { email: "bob@example.com", password: "x" }) { token }
        completeMfaLogin(challenge: $c, code: "123456") { token }
        finishPasskeyLogin(response: "{}") { token }
        finishSsoLogin(provider: "idp", callbackUrl: "http://localhost/?code=a&state=b") { token }
        refreshSession(refreshToken: "r") { token }
        logout
      }`,
      { c: 'challenge' },
    );
    expect(attempts).toEqual([
      { field: 'login', responseKey: 'login', account: 'ann@example.com' },
      { field: 'signUp', responseKey: 'signUp', account: 'bob@example.com' },
      { field: 'completeMfaLogin', responseKey: 'completeMfaLogin', account: undefined },
      { field: 'finishPasskeyLogin', responseKey: 'finishPasskeyLogin', account: undefined },
      { field: 'finishSsoLogin', responseKey: 'finishSsoLogin', account: undefined },
      { field: 'refreshSession', responseKey: 'refreshSession', account: undefined },
    ]);
  });

  it('finds the sign-in steps under aliases and in fragments', () => {
    const attempts = attemptsOf(`
      mutation {
        a: completeMfaLogin(challenge: "c", code: "1") { token }
        ...Steps
        ... on Mutation { c: refreshSession(refreshToken: "r") { token } }
      }
      fragment Steps on Mutation { b: completeMfaLogin(challenge: "c", code: "2") { token } }
    `);
    expect(attempts.map(({ field, responseKey }) => [field, responseKey])).toEqual([
      ['completeMfaLogin', 'a'],
      ['completeMfaLogin', 'b'],
      ['refreshSession', 'c'],
    ]);
  });

  it('counts nothing in a query', () => {
    expect(attemptsOf('{ __typename }')).toEqual([]);
  });
});
