// Debian's chromium driven by puppeteer-core, for the pages a person opens (GraphiQL): on
// loopback only, every other request refused and recorded, and what the page transferred
// counted, so that a test can assert that nothing left the machine.
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Schemes that never reach a network (inline data, the page's own blobs). */
const LOCAL_SCHEMES = new Set(['data:', 'blob:', 'about:']);

export function isLoopback(address: string): boolean {
  const url = new URL(address);
  return LOCAL_SCHEMES.has(url.protocol) || LOOPBACK_HOSTS.has(url.hostname);
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`No chromium at ${CHROMIUM_PATH}: apt-get install -y chromium`);
  }
  return puppeteer.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    // Root in a container has no user namespace for chromium's sandbox.
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
}

export interface LoopbackPage {
  page: Page;
  /** Requests to anywhere but this machine, each refused (or only seen, with `observeOnly`). */
  refused: string[];
  /** Bytes received over the network (compressed, headers included), by request. */
  transferredBytes(): number;
  /** The responses' URLs (data: URLs left out), in order. */
  responses: string[];
  /** performance.now() of the last request sent or finished, to wait for a load to settle. */
  lastActivity(): number;
}

/** A new page in a fresh context (no stored GraphiQL tabs) that may reach loopback only.
 * `observeOnly` records other requests without refusing them: puppeteer turns the browser
 * cache off while it intercepts, and a benchmark of a returning visitor needs it. */
export async function openLoopbackPage(
  browser: Browser,
  { observeOnly = false } = {},
): Promise<LoopbackPage> {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  const refused: string[] = [];
  const responses: string[] = [];
  const received = new Map<string, number>();
  let lastActivity = performance.now();
  await page.setRequestInterception(!observeOnly);
  page.on('request', (request) => {
    const allowed = isLoopback(request.url());
    if (!allowed) refused.push(request.url());
    if (observeOnly) return;
    void (allowed ? request.continue() : request.abort('blockedbyclient'));
  });
  page.on('response', (response) => {
    if (!response.url().startsWith('data:')) responses.push(response.url());
  });
  // encodedDataLength of a finished load is what came over the wire for it.
  const cdp = await page.createCDPSession();
  await cdp.send('Network.enable');
  cdp.on('Network.requestWillBeSent', () => {
    lastActivity = performance.now();
  });
  cdp.on('Network.loadingFinished', (event) => {
    lastActivity = performance.now();
    received.set(event.requestId, event.encodedDataLength);
  });
  return {
    page,
    refused,
    responses,
    lastActivity: () => lastActivity,
    transferredBytes: () => [...received.values()].reduce((sum, bytes) => sum + bytes, 0),
  };
}

/** The text Monaco shows in an editor of GraphiQL (`.graphiql-response`, `.graphiql-query-editor`);
 * Monaco renders spaces as no-break spaces. */
export async function editorText(page: Page, selector: string): Promise<string> {
  const lines = await page.$eval(selector, (element) =>
    [...element.querySelectorAll('.view-line')].map((line) => line.textContent ?? ''),
  );
  return lines.join('\n').replace(/\u00a0/g, ' ');
}
