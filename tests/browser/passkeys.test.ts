// Passkeys as a person uses them, in Debian's chromium with the DevTools virtual authenticator
// (a platform authenticator with resident keys and user verification): on a page of
// http://localhost (a secure context, WebAuthn's RP ID `localhost`), a user signs up, adds a
// passkey, sees it listed, logs out, and signs in again with the passkey alone (passwordless:
// a discoverable credential, no email asked), getting a token whose `me` is them. The page and
// the security subgraph's /graphql share one origin, served by this test on loopback. A
// screenshot is kept in tests/artifacts/ (git-ignored).
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import type { Browser, CDPSession, Page } from 'puppeteer-core';
import { graphql } from '@supergraph/kit/testing';
import { parseConfig } from '../../subgraphs/security/src/config.js';
import { createSecuritySubgraph } from '../../subgraphs/security/src/subgraph.js';
import { launchChromium, openLoopbackPage, type LoopbackPage } from './browser.js';

const ARTIFACTS = join(__dirname, '..', 'artifacts');
/** A page load or a ceremony on a loaded CI machine: a hang guard only. */
const STEP_MS = 60_000;
const PAGE = readFileSync(join(__dirname, 'passkeys-page.html'));
/** @simplewebauthn/browser's UMD bundle (global SimpleWebAuthnBrowser), beside its CJS entry:
 * the package exports no path to it. */
const WEBAUTHN_BROWSER = readFileSync(
  join(
    dirname(require.resolve('@simplewebauthn/browser')),
    '..',
    'dist',
    'bundle',
    'index.umd.min.js',
  ),
);

jest.setTimeout(180_000);

type Subgraph = Awaited<ReturnType<typeof createSecuritySubgraph>>;

/** Serves the page and its script, and hands everything else to the subgraph's yoga. */
async function startPageServer(): Promise<{
  server: Server;
  /** The page's origin, on localhost. */
  origin: string;
  /** The same GraphQL endpoint for the test's own requests. */
  graphqlUrl: string;
  attach(subgraph: Subgraph): void;
}> {
  let subgraph: Subgraph | undefined;
  const server = createServer((request, response) => {
    if (
      request.method === 'GET' &&
      (request.url === '/' || request.url === '/simplewebauthn-browser.js')
    ) {
      const script = request.url !== '/';
      response.writeHead(200, {
        'content-type': script ? 'text/javascript' : 'text/html; charset=utf-8',
      });
      response.end(script ? WEBAUTHN_BROWSER : PAGE);
      return;
    }
    if (!subgraph) {
      response.writeHead(503).end();
      return;
    }
    void subgraph.yoga(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  // localhost, not 127.0.0.1: WebAuthn needs a secure context and an RP ID that is a domain.
  return {
    server,
    origin: `http://localhost:${port}`,
    graphqlUrl: `http://127.0.0.1:${port}/graphql`,
    attach: (ready) => (subgraph = ready),
  };
}

/** Adds the virtual authenticator to the page's tab; its id. */
async function addVirtualAuthenticator(cdp: CDPSession): Promise<string> {
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      ctap2Version: 'ctap2_1',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return authenticatorId;
}

const waitForStatus = (page: Page, expected: string) =>
  page.waitForFunction(
    (text) => {
      const shown = document.querySelector('#status')?.textContent ?? '';
      if (shown.startsWith('Error')) throw new Error(shown);
      return shown === text;
    },
    { timeout: STEP_MS },
    expected,
  );

describe('passkeys in a browser', () => {
  let pages: Awaited<ReturnType<typeof startPageServer>>;
  let subgraph: Subgraph;
  let browser: Browser;
  let loopback: LoopbackPage;

  beforeAll(async () => {
    pages = await startPageServer();
    subgraph = await createSecuritySubgraph(
      parseConfig({
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        DATA_DIR: 'memory://',
        WEBAUTHN_RP_ID: 'localhost',
        WEBAUTHN_ORIGINS: pages.origin,
      }),
    );
    pages.attach(subgraph);
    browser = await launchChromium();
    loopback = await openLoopbackPage(browser);
  });
  afterAll(async () => {
    await browser?.close();
    // The test's own fetch keeps its connection alive: end it with the server.
    pages?.server.closeAllConnections();
    await new Promise((resolve) => pages?.server.close(resolve));
    await subgraph?.close();
  });

  it('signs up, adds a passkey, logs out and signs in with the passkey alone', async () => {
    const { page } = loopback;
    const cdp = await page.createCDPSession();
    const authenticatorId = await addVirtualAuthenticator(cdp);
    const email = `passkey-${Date.now()}@example.com`;

    await page.goto(pages.origin, { timeout: STEP_MS });
    await page.type('#sign-up-form input[name="email"]', email);
    await page.type('#sign-up-form input[name="password"]', 'a long password');
    await page.click('#sign-up-form button[type="submit"]');
    await waitForStatus(page, 'Signed up');
    await page.waitForFunction(
      (expected) => document.querySelector('#user-email')?.textContent === expected,
      { timeout: STEP_MS },
      email,
    );
    const userId = await page.evaluate(() => document.body.dataset['userId']);

    await page.click('#add-passkey');
    await waitForStatus(page, 'Passkey added');
    await page.waitForSelector('#passkeys li', { timeout: STEP_MS });
    expect(
      await page.$$eval('#passkeys li', (items) => items.map((item) => item.textContent)),
    ).toEqual(['This browser (singleDevice)']);
    // The authenticator holds it as a discoverable credential for localhost, for this user.
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    expect(credentials).toHaveLength(1);
    expect(credentials[0]).toMatchObject({ isResidentCredential: true, rpId: 'localhost' });
    expect(Buffer.from(credentials[0]!.userHandle!, 'base64').toString('hex')).toBe(
      userId!.replace(/-/g, ''),
    );

    await page.click('#log-out');
    await waitForStatus(page, 'Logged out');
    expect(await page.$eval('#user-email', (element) => element.textContent)).toBe('');
    expect(
      await page.evaluate(() => (window as unknown as { currentToken(): unknown }).currentToken()),
    ).toBeNull();

    await page.click('#passkey-sign-in');
    await waitForStatus(page, 'Signed in with a passkey');
    await page.waitForFunction(
      (expected) => document.querySelector('#user-email')?.textContent === expected,
      { timeout: STEP_MS },
      email,
    );
    // The page's new token is the user's, also to a caller other than the page.
    const token = (await page.evaluate(() =>
      (window as unknown as { currentToken(): string }).currentToken(),
    )) as string;
    const me = await graphql(pages.graphqlUrl, { query: '{ me { id email } }', token });
    expect(me.data).toEqual({ me: { id: userId, email } });
    const lastUsed = await page.$eval(
      '#passkeys li',
      (item) => (item as HTMLElement).dataset['lastUsed'],
    );
    expect(lastUsed).not.toBe('');
    const [used] = (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials;
    expect(used!.signCount).toBeGreaterThan(credentials[0]!.signCount);

    expect(loopback.refused).toEqual([]);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'passkeys.png') });
  });
});
