// An OpenID Connect provider for the single sign-on tests: oidc-provider (ESM-only, hence its
// own process, started by oidc-test-provider.ts) on 127.0.0.1, port 0. Its login page is a
// form that takes who signs in (sub, email, email_verified, name) as typed, so each test
// chooses its account; consent is given at once (loadExistingGrant). It prints its issuer as
// one JSON line when it listens, and stops on SIGTERM.
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import { URL, URLSearchParams } from 'node:url';
import { Provider } from 'oidc-provider';

const { OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URI } = process.env;
const SCOPES = 'openid email profile';

const server = createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

/** Accounts as their login form described them, by subject. */
const accounts = new Map();
const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
  format: 'jwk',
});

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: OIDC_CLIENT_ID,
      client_secret: OIDC_CLIENT_SECRET,
      redirect_uris: [OIDC_REDIRECT_URI],
      grant_types: ['authorization_code'],
      response_types: ['code'],
    },
  ],
  jwks: { keys: [{ ...signingKey, kid: 'test-key', use: 'sig', alg: 'RS256' }] },
  cookies: { keys: ['a cookie key of the test provider'] },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  pkce: { required: () => true },
  features: { devInteractions: { enabled: false } },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  findAccount: (_ctx, sub) => {
    const claims = accounts.get(sub);
    return claims && { accountId: sub, claims: () => ({ sub, ...claims }) };
  },
  // Consent without asking: every sign-in grants the client what it asks for.
  async loadExistingGrant(ctx) {
    const { client, session } = ctx.oidc;
    if (!session.accountId) return undefined;
    const grant = new ctx.oidc.provider.Grant({
      clientId: client.clientId,
      accountId: session.accountId,
    });
    grant.addOIDCScope(SCOPES);
    await grant.save();
    return grant;
  },
});

const handle = provider.callback();

async function formOf(request) {
  let body = '';
  for await (const chunk of request) body += chunk;
  return new URLSearchParams(body);
}

server.on('request', (request, response) => {
  const path = new URL(request.url, issuer).pathname;
  const match = /^\/interaction\/[^/]+(\/login)?$/.exec(path);
  if (!match) return handle(request, response);
  void (async () => {
    try {
      const details = await provider.interactionDetails(request, response);
      if (request.method === 'GET' && !match[1]) {
        response.writeHead(200, { 'content-type': 'text/plain' });
        response.end(`prompt: ${details.prompt.name}`);
        return;
      }
      if (request.method !== 'POST' || !match[1]) {
        response.writeHead(405).end();
        return;
      }
      const form = await formOf(request);
      const sub = form.get('sub');
      accounts.set(sub, {
        email: form.get('email'),
        email_verified: form.get('email_verified') === 'true',
        name: form.get('name') ?? undefined,
      });
      await provider.interactionFinished(
        request,
        response,
        { login: { accountId: sub } },
        { mergeWithLastSubmission: false },
      );
    } catch (error) {
      response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(String(error));
    }
  })();
});

process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
process.stdout.write(`${JSON.stringify({ issuer })}\n`);
