// The test side of oidc-provider-process.mjs: starts it in a child process (and stops it by its
// PID), and plays the browser of a single sign-on over plain HTTP: it follows the provider's
// redirects with their cookies, fills in the login form, and stops at the redirect URI.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface TestIdentityProvider {
  issuer: string;
  close(): Promise<void>;
}

export async function startTestIdentityProvider(client: {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}): Promise<TestIdentityProvider> {
  const child = spawn(process.execPath, [join(__dirname, 'oidc-provider-process.mjs')], {
    env: {
      ...process.env,
      NODE_OPTIONS: '',
      OIDC_CLIENT_ID: client.clientId,
      OIDC_CLIENT_SECRET: client.clientSecret,
      OIDC_REDIRECT_URI: client.redirectUri,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit');
  const lines = createInterface({ input: child.stdout });
  const first = await Promise.race([
    once(lines, 'line').then(([line]) => line as string),
    exited.then(([code]) => {
      throw new Error(`the test identity provider exited (${String(code)}): ${stderr}`);
    }),
  ]);
  const { issuer } = JSON.parse(first) as { issuer: string };
  return {
    issuer,
    async close() {
      if (child.exitCode === null) {
        process.kill(child.pid!, 'SIGTERM');
        await exited;
      }
    },
  };
}

export interface TestAccount {
  sub: string;
  email: string;
  emailVerified: boolean;
  name?: string;
}

const MAX_HOPS = 20;

/** Signs `account` in at the provider from `authorizationUrl`; answers the callback URL. */
export async function signInAtProvider(
  authorizationUrl: string,
  account: TestAccount,
  redirectUri: string,
): Promise<string> {
  const cookies = new Map<string, string>();
  let url = authorizationUrl;
  let request: RequestInit = { method: 'GET' };
  for (let hop = 0; hop < MAX_HOPS; hop += 1) {
    if (url.startsWith(redirectUri)) return url;
    const response = await fetch(url, {
      ...request,
      redirect: 'manual',
      headers: {
        ...(request.headers as Record<string, string>),
        cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; '),
      },
    });
    for (const header of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = header.split(';');
      const name = pair.slice(0, pair.indexOf('=')).trim();
      const value = pair.slice(pair.indexOf('=') + 1).trim();
      const expired = attributes.some((attribute) => {
        const [key = '', date = ''] = attribute.split('=');
        return key.trim().toLowerCase() === 'expires' && Date.parse(date) <= Date.now();
      });
      if (expired || !value) cookies.delete(name);
      else cookies.set(name, value);
    }
    const location = response.headers.get('location');
    const text = await response.text();
    if (response.status >= 300 && response.status < 400 && location) {
      url = new URL(location, url).href;
      request = { method: 'GET' };
    } else if (response.status === 200 && /^\/interaction\/[^/]+$/.test(new URL(url).pathname)) {
      // The login form: the person types who they are.
      url = `${url}/login`;
      request = {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          sub: account.sub,
          email: account.email,
          email_verified: String(account.emailVerified),
          ...(account.name ? { name: account.name } : {}),
        }).toString(),
      };
    } else {
      throw new Error(`the provider answered ${response.status} at ${url}: ${text.slice(0, 500)}`);
    }
  }
  throw new Error(`no callback after ${MAX_HOPS} redirects`);
}
