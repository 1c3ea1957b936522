// GraphiQL as a person opens it, in Debian's chromium on loopback: the page loads with no
// request leaving the machine, shows the router's default tab and the explorer, signs in
// with the demo user from its sign-in bar, and runs a query and a subscription (graphql-ws)
// with that token. A screenshot is kept in tests/artifacts/ (git-ignored; a CI artifact).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { waitFor } from '@supergraph/kit/testing';
import { startSupergraph, type Supergraph } from '../harness.js';
import { editorText, launchChromium, openLoopbackPage, type LoopbackPage } from './browser.js';

const ARTIFACTS = join(__dirname, '..', 'artifacts');
/** The page, Monaco and a subscription on a loaded CI machine: generous, a hang guard only. */
const STEP_MS = 60_000;
const TOKEN_TTL_SECONDS = 10;

const STREAM = `subscription {
  completionStream(input: { messages: [{ role: USER, content: "seen in the browser" }] }) {
    index delta done
  }
}`;

jest.setTimeout(180_000);

describe('GraphiQL in a browser', () => {
  let supergraph: Supergraph;
  let browser: Browser;
  let loopback: LoopbackPage;
  let page: Page;

  beforeAll(async () => {
    // development: the sign-in bar is filled with the demo user, whom the security subgraph
    // creates in development only. Tokens of seconds, so that the bar renews one here.
    supergraph = await startSupergraph({
      env: { NODE_ENV: 'development', TOKEN_TTL_SECONDS: String(TOKEN_TTL_SECONDS) },
    });
    browser = await launchChromium();
    loopback = await openLoopbackPage(browser);
    page = loopback.page;
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url() === supergraph.url) {
        authorizations.push(request.headers()['authorization']);
      }
    });
  });
  afterAll(async () => {
    await browser?.close();
    await supergraph?.close();
  });

  /** Opens GraphiQL with `query` in its editor (GraphiQL reads `?query=`) and runs it. */
  async function run(query: string) {
    await page.goto(`${supergraph.url}?query=${encodeURIComponent(query)}`);
    await page.waitForSelector('.graphiql-query-editor .view-line', { timeout: STEP_MS });
    await waitFor(
      async () =>
        (await editorText(page, '.graphiql-query-editor')).includes(query.split('\n')[0]!),
      'the query in the editor',
      STEP_MS,
    );
    await page.click('.graphiql-execute-button');
  }

  const response = () => editorText(page, '.graphiql-response');

  /** The token the sign-in bar holds (in the tab's sessionStorage). */
  const sessionToken = () =>
    page.evaluate(
      () => JSON.parse(sessionStorage.getItem('supergraph:graphiql:session') ?? 'null')?.token,
    ) as Promise<string | undefined>;

  /** The Authorization of every GraphQL request the page sends. */
  const authorizations: (string | undefined)[] = [];

  it('loads from the router alone, with the default tab and the explorer', async () => {
    await page.goto(supergraph.url);
    await page.waitForSelector('.graphiql-query-editor .view-line', { timeout: STEP_MS });
    await waitFor(
      async () => (await editorText(page, '.graphiql-query-editor')).includes('me { id'),
      'the router’s default query in the editor',
      STEP_MS,
    );
    expect(await page.$('[aria-label="Show GraphiQL Explorer"]')).not.toBeNull();
    // A reload keeps the tab it left, rather than opening an empty one beside it.
    await page.reload();
    await page.waitForSelector('.graphiql-query-editor .view-line', { timeout: STEP_MS });
    await waitFor(
      async () => (await editorText(page, '.graphiql-query-editor')).includes('me { id'),
      'the default query in the editor after a reload',
      STEP_MS,
    );
    expect(await page.$$eval('.graphiql-tab', (tabs) => tabs.length)).toBe(1);
    expect(loopback.refused).toEqual([]);
  });

  it('signs in with the demo user and runs a query with its token', async () => {
    await page.click('#sign-in button[type="submit"]');
    await page.waitForFunction(
      () => document.querySelector('#sign-in')?.textContent?.includes('demo@example.com'),
      { timeout: STEP_MS },
    );
    await run('{ me { email } }');
    await waitFor(
      async () => (await response()).includes('"email": "demo@example.com"'),
      'the signed-in user in the result pane',
      STEP_MS,
    );
  });

  it('renews the token before it expires, and sends the new one', async () => {
    // The bar renews with the credentials of a sign-in on the page it is on (kept in memory,
    // so not across the reloads above): sign in afresh.
    await page.evaluate(() => sessionStorage.clear());
    await page.reload();
    await page.waitForSelector('.graphiql-query-editor .view-line', { timeout: STEP_MS });
    await page.click('#sign-in button[type="submit"]');
    await page.waitForFunction(
      () => document.querySelector('#sign-in')?.textContent?.includes('renewed automatically'),
      { timeout: STEP_MS },
    );
    const first = await sessionToken();
    expect(first).toBeTruthy();
    await waitFor(async () => (await sessionToken()) !== first, 'a renewed token', STEP_MS);
    const renewed = await sessionToken();
    await page.click('.graphiql-execute-button');
    await waitFor(
      async () => authorizations.at(-1) === `Bearer ${renewed}`,
      'a request with the renewed token',
      STEP_MS,
    );
  });

  it('streams a subscription over graphql-ws with the token', async () => {
    await run(STREAM);
    await waitFor(
      async () => (await response()).includes('"done": true'),
      'the last event of the stream in the result pane',
      STEP_MS,
    );
    expect(await response()).not.toContain('UNAUTHENTICATED');
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'graphiql.png'), fullPage: true });
    expect(loopback.refused).toEqual([]);
  });
});
