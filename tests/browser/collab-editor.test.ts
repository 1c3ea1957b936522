// The collaborative editor example (examples/collab-editor) as two people use it, in Debian's
// chromium on loopback: one signs up on the page, the other signs in; the first creates a
// document and shares it with the second, who opens it by id; both type at once at either
// end of the text, and both editors and the server end with the same text; each sees the
// other's caret with their name. Tokens live seconds here, so the pages renew theirs and move
// their connections to the new ones while the editors stay in sync past the first tokens'
// expiry. A screenshot is kept in tests/artifacts/ (git-ignored).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { graphql, waitFor } from '@supergraph/kit/testing';
import { startEditorServer, type EditorServer } from '../../examples/collab-editor/src/server.js';
import { CLOCK_TOLERANCE_S } from '../../packages/kit/src/identity.js';
import { signUp, startSupergraph, type Supergraph } from '../harness.js';
import { launchChromium, openLoopbackPage, type LoopbackPage } from './browser.js';

const ARTIFACTS = join(__dirname, '..', 'artifacts');
/** Bundling, a page load, a sync round trip on a loaded CI machine: a hang guard only. */
const STEP_MS = 60_000;
/** harness.signUp's password, which Bob types into the page's sign-in form. */
const HARNESS_PASSWORD = 'a long password';
const FIRST_LINE = 'Shared notes';
const ALICE_TYPES = 'Alice was here first. ';
const BOB_TYPES = ' Bob adds the end.';
const ALICE_LATER = ' Alice, after her first token expired.';
const BOB_LATER = 'Bob too. ';
/** The pages renew halfway through a token's life: every few seconds here. */
const TOKEN_TTL_SECONDS = 12;

jest.setTimeout(240_000);

/** The editor's text as a person reads it: its lines, without the other people's carets
 * (widgets inside the content that hold their names). */
const editorText = (page: Page) =>
  page.evaluate(() => {
    const content = document.querySelector('.cm-content');
    if (!content) return null;
    const copy = content.cloneNode(true) as HTMLElement;
    for (const caret of copy.querySelectorAll('.cm-ySelectionCaret')) caret.remove();
    return [...copy.querySelectorAll('.cm-line')]
      .map((line) => (line.textContent ?? '').replace(/\u2060/g, ''))
      .join('\n');
  });

const waitForText = (page: Page, expected: string) =>
  page.waitForFunction(
    (text) => {
      const content = document.querySelector('.cm-content');
      if (!content) return false;
      const copy = content.cloneNode(true) as HTMLElement;
      for (const caret of copy.querySelectorAll('.cm-ySelectionCaret')) caret.remove();
      const lines = [...copy.querySelectorAll('.cm-line')].map((line) =>
        (line.textContent ?? '').replace(/\u2060/g, ''),
      );
      return lines.join('\n') === text;
    },
    { timeout: STEP_MS },
    expected,
  );

/** Waits for the name over another person's caret in the page's editor. */
const waitForCaretOf = (page: Page, name: string) =>
  page.waitForFunction(
    (who) =>
      [...document.querySelectorAll('.cm-ySelectionCaret .cm-ySelectionInfo')].some(
        (info) => info.textContent === who,
      ),
    { timeout: STEP_MS },
    name,
  );

/** Ctrl+Home / Ctrl+End: CodeMirror's start and end of the document. */
async function pressWithControl(page: Page, key: 'Home' | 'End') {
  await page.keyboard.down('Control');
  await page.keyboard.press(key);
  await page.keyboard.up('Control');
}

const waitForSynced = (page: Page) =>
  page.waitForSelector('#document[data-synced="true"] .cm-content', { timeout: STEP_MS });

async function signInOnPage(page: Page, mode: 'login' | 'signUp', email: string, password: string) {
  await page.type('#sign-in-form input[name="email"]', email);
  await page.type('#sign-in-form input[name="password"]', password);
  await page.click(`#sign-in-form button[value="${mode}"]`);
  await page.waitForFunction(
    (expected) => document.querySelector('#user-email')?.textContent === expected,
    { timeout: STEP_MS },
    email,
  );
}

/** A fresh token from the test's side (harness tokens expire within the test here). */
async function login(url: string, email: string, password: string): Promise<string> {
  const result = await graphql<{ login: { token: string } }>(url, {
    query: 'mutation($input: LoginInput!) { login(input: $input) { token } }',
    variables: { input: { email, password } },
  });
  if (!result.data) throw new Error(`login failed: ${JSON.stringify(result.errors)}`);
  return result.data.login.token;
}

describe('the collaborative editor example in a browser', () => {
  let supergraph: Supergraph;
  let server: EditorServer;
  let browser: Browser;
  let alice: LoopbackPage;
  let bob: LoopbackPage;
  /** When each page sent a login (Bob's sign-in, then the renewals). */
  const logins = { alice: [] as number[], bob: [] as number[] };
  /** After each page had its first token: by then + TTL that token has expired. */
  const signedIn = { alice: 0, bob: 0 };
  let documentId = '';
  let textSoFar = '';
  const bobEmail = `bob-${Date.now()}@example.com`;

  /** Document.content on the server, as Bob (who has it shared). */
  const serverContent = async () => {
    const result = await graphql<{ document: { content: string } | null }>(supergraph.url, {
      query: 'query($id: ID!) { document(id: $id) { content } }',
      variables: { id: documentId },
      token: await login(supergraph.url, bobEmail, HARNESS_PASSWORD),
    });
    return result.data?.document?.content;
  };

  beforeAll(async () => {
    supergraph = await startSupergraph({ env: { TOKEN_TTL_SECONDS: String(TOKEN_TTL_SECONDS) } });
    server = await startEditorServer({ routerUrl: supergraph.url });
    browser = await launchChromium();
    // Two browser contexts: two people with nothing shared between their tabs.
    alice = await openLoopbackPage(browser);
    bob = await openLoopbackPage(browser);
    for (const [page, sent] of [
      [alice.page, logins.alice],
      [bob.page, logins.bob],
    ] as const) {
      page.on('request', (request) => {
        if (request.url() === supergraph.url && request.postData()?.includes('login(input')) {
          sent.push(Date.now());
        }
      });
    }
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await supergraph?.close();
  });

  it('lets two users edit one document at once and see each other’s cursor', async () => {
    const aliceEmail = `alice-${Date.now()}@example.com`;
    const bobAccount = await signUp(supergraph.url, bobEmail);

    // Alice signs up on the page and creates a document; its id goes into the address.
    await alice.page.goto(server.url);
    await signInOnPage(alice.page, 'signUp', aliceEmail, 'correct horse battery');
    signedIn.alice = Date.now();
    await alice.page.click('#create-form button[type="submit"]');
    await waitForSynced(alice.page);
    documentId = await alice.page.evaluate(() => location.hash.slice(1));
    expect(documentId).toMatch(/^[0-9a-f-]{36}$/);
    await alice.page.click('.cm-content');
    await alice.page.keyboard.type(FIRST_LINE);

    // Bob signs in (an account he already has) and tells Alice his id; she shares with him.
    await bob.page.goto(server.url);
    await signInOnPage(bob.page, 'login', bobAccount.email, HARNESS_PASSWORD);
    signedIn.bob = Date.now();
    const bobId = await bob.page.$eval('#user-id', (element) => element.textContent);
    expect(bobId).toBe(bobAccount.userId);
    await alice.page.type('#share-form input[name="userId"]', bobId!);
    await alice.page.click('#share-form button[type="submit"]');
    await alice.page.waitForFunction(
      () => document.querySelector('#status')?.textContent?.startsWith('Shared with'),
      { timeout: STEP_MS },
    );

    // Bob opens the document by id and gets what Alice typed.
    await bob.page.type('#open-form input[name="id"]', documentId);
    await bob.page.click('#open-form button[type="submit"]');
    await waitForSynced(bob.page);
    await waitForText(bob.page, FIRST_LINE);

    // Both type at once: Alice at the start, Bob at the end.
    await alice.page.click('.cm-content');
    await pressWithControl(alice.page, 'Home');
    await bob.page.click('.cm-content');
    await pressWithControl(bob.page, 'End');
    await Promise.all([
      alice.page.keyboard.type(ALICE_TYPES, { delay: 15 }),
      bob.page.keyboard.type(BOB_TYPES, { delay: 15 }),
    ]);

    const expected = ALICE_TYPES + FIRST_LINE + BOB_TYPES;
    await waitForText(alice.page, expected);
    await waitForText(bob.page, expected);
    expect(await editorText(alice.page)).toBe(expected);
    expect(await editorText(bob.page)).toBe(expected);
    await waitFor(
      async () => (await serverContent()) === expected,
      'the merged text in Document.content on the server',
      STEP_MS,
    );
    textSoFar = expected;

    // Each sees the other's caret, named.
    await waitForCaretOf(alice.page, bobAccount.email);
    await waitForCaretOf(bob.page, aliceEmail);

    mkdirSync(ARTIFACTS, { recursive: true });
    await alice.page.screenshot({ path: join(ARTIFACTS, 'collab-editor.png'), fullPage: true });
    expect(alice.refused).toEqual([]);
    expect(bob.refused).toEqual([]);
  });

  it('stays in sync past the expiry of the tokens the pages signed in with', async () => {
    expect(textSoFar).not.toBe('');
    // A renewal sent after a page's first token expired (with the router's clock tolerance):
    // its subscriptions opened with that token would have ended by now, had the page not
    // moved them to a renewed one.
    for (const who of ['alice', 'bob'] as const) {
      await waitFor(
        () =>
          logins[who].some(
            (at) => at > signedIn[who] + (TOKEN_TTL_SECONDS + CLOCK_TOLERANCE_S) * 1_000,
          ),
        `${who}'s page renewing its token after the first one expired`,
        STEP_MS,
      );
    }
    await waitForSynced(alice.page);
    await waitForSynced(bob.page);

    await alice.page.click('.cm-content');
    await pressWithControl(alice.page, 'End');
    await bob.page.click('.cm-content');
    await pressWithControl(bob.page, 'Home');
    await Promise.all([
      alice.page.keyboard.type(ALICE_LATER, { delay: 15 }),
      bob.page.keyboard.type(BOB_LATER, { delay: 15 }),
    ]);

    const expected = BOB_LATER + textSoFar + ALICE_LATER;
    await waitForText(alice.page, expected);
    await waitForText(bob.page, expected);
    await waitFor(
      async () => (await serverContent()) === expected,
      'the text typed after the renewals in Document.content on the server',
      STEP_MS,
    );
    for (const page of [alice.page, bob.page]) {
      expect(await page.$eval('#status', (status) => status.className)).not.toContain('error');
    }
    expect(alice.refused).toEqual([]);
    expect(bob.refused).toEqual([]);
  });
});
