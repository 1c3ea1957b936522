// Another site's page: its preflight gets no CORS grant from any service, and the requests a
// browser sends cross-site without a preflight (a form post, a text body, a plain GET) are
// refused with CSRF_HEADER_REQUIRED before anything runs, so nothing is stored.
import { graphql } from '@supergraph/kit/testing';
import { SUBGRAPHS, startSupergraph, type Supergraph } from '../harness.js';

const EVIL = 'https://evil.example';
const LOCAL_PAGE = 'http://localhost:5173';

let supergraph: Supergraph;
beforeAll(async () => {
  supergraph = await startSupergraph();
});
afterAll(() => supergraph.close());

const services = () => [
  ['router', supergraph.url] as const,
  ...SUBGRAPHS.map((name) => [name, supergraph.subgraphUrls[name]] as const),
];

const preflight = (url: string, origin: string) =>
  fetch(url, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type, authorization',
    },
  });

const signUpMutation = (email: string) =>
  `mutation { signUp(input: { email: "${email}", password: "a long password" }) { token } }`;

describe('CORS', () => {
  it('grants nothing to another site, at the router and every subgraph', async () => {
    for (const [name, url] of services()) {
      const response = await preflight(url, EVIL);
      const granted = {
        service: name,
        origin: response.headers.get('access-control-allow-origin'),
        credentials: response.headers.get('access-control-allow-credentials'),
      };
      expect(granted).toEqual({ service: name, origin: null, credentials: null });

      const post = await fetch(url, {
        method: 'POST',
        headers: { origin: EVIL, 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      expect(post.headers.get('access-control-allow-origin')).toBeNull();
    }
  });

  it('grants a page on this machine outside production', async () => {
    const response = await preflight(supergraph.url, LOCAL_PAGE);
    expect(response.headers.get('access-control-allow-origin')).toBe(LOCAL_PAGE);
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
  });
});

describe('CSRF', () => {
  it('refuses a form-encoded signUp before it runs, and stores nothing', async () => {
    const email = `csrf-${Date.now()}@example.com`;
    for (const url of [supergraph.url, supergraph.subgraphUrls.security]) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { origin: EVIL, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ query: signUpMutation(email) }).toString(),
      });
      expect(response.status).toBe(403);
      const body = (await response.json()) as { errors: { message: string; extensions: object }[] };
      expect(body.errors[0]!.extensions).toMatchObject({ code: 'CSRF_HEADER_REQUIRED' });
      expect(body.errors[0]!.message).toContain('x-graphql-csrf');
    }
    // Had either run, the email would now be taken.
    const signedUp = await graphql(supergraph.url, { query: signUpMutation(email) });
    expect(signedUp.errors).toBeUndefined();
  });

  it('refuses a text/plain body and a GET without the header; takes them with it', async () => {
    const textPlain = await fetch(supergraph.url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(textPlain.status).toBe(403);

    const get = `${supergraph.url}?query=${encodeURIComponent('{ __typename }')}`;
    const accept = { accept: 'application/graphql-response+json' };
    expect((await fetch(get, { headers: accept })).status).toBe(403);
    const withHeader = await fetch(get, { headers: { ...accept, 'x-graphql-csrf': '1' } });
    expect(withHeader.status).toBe(200);
    expect(await withHeader.json()).toEqual({ data: { __typename: 'Query' } });
  });
});

describe("graphql-sse's protocol (/graphql/stream)", () => {
  it('grants another site no reservation, and runs no mutation it can send without a preflight', async () => {
    const stream = `${supergraph.url}/stream`;
    const reservation = await fetch(stream, {
      method: 'OPTIONS',
      headers: { origin: EVIL, 'access-control-request-method': 'PUT' },
    });
    expect(reservation.headers.get('access-control-allow-origin')).toBeNull();

    const email = `csrf-sse-${Date.now()}@example.com`;
    // A form or text body: graphql-sse takes operations as JSON only.
    const textBody = await fetch(stream, {
      method: 'POST',
      headers: { origin: EVIL, 'content-type': 'text/plain', accept: 'text/event-stream' },
      body: JSON.stringify({ query: signUpMutation(email) }),
    });
    expect(textBody.status).toBe(415);
    await textBody.body?.cancel();
    // A plain GET: graphql-sse runs no mutation over GET; the refusal comes on the stream.
    const get = await fetch(`${stream}?query=${encodeURIComponent(signUpMutation(email))}`, {
      headers: { origin: EVIL, accept: 'text/event-stream' },
    });
    const events = await get.text();
    expect(events).toContain('Can only perform a mutation operation from a POST request.');
    expect(events).toContain('"code":"BAD_REQUEST"');
    expect(events).not.toContain('"token"');
    // Had either run, the email would now be taken.
    const signedUp = await graphql(supergraph.url, { query: signUpMutation(email) });
    expect(signedUp.errors).toBeUndefined();
  });
});
