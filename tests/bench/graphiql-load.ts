// GraphiQL's first load from the router in headless chromium, on loopback: bytes transferred
// (compressed, as the browser received them) and time until the editor is usable (the query
// editor shows the default tab and the schema's introspection has answered). Three kinds of
// load: the router's very first (it compresses the assets then), a new visitor's (empty
// browser cache), and a returning one's (cached assets). It measures and prints; it never
// asserts on time. For scale, the page render-graphiql would send inline, uncompressed.
import { performance } from 'node:perf_hooks';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { Browser } from 'puppeteer-core';
import { waitFor } from '@supergraph/kit/testing';
import {
  editorText,
  launchChromium,
  openLoopbackPage,
  type LoopbackPage,
} from '../browser/browser.js';
import { startSupergraph } from '../harness.js';
import { ascending, percentile } from './stats.js';

const RUNS = 5;
/** No request sent or finished for this long: the load is over (Monaco starts workers late). */
const SETTLED_MS = 1_000;

interface Load {
  bytes: number;
  requests: number;
  editorMs: number;
  schemaMs: number;
}

async function load(page: LoopbackPage, url: string) {
  const before = page.transferredBytes();
  const responsesBefore = page.responses.length;
  let schemaAt = 0;
  const onResponse = (response: {
    url(): string;
    request(): { postData(): string | undefined };
  }) => {
    if (response.request().postData()?.includes('__schema')) schemaAt = performance.now();
  };
  page.page.on('response', onResponse);
  // A page behind another gets no animation frames, and Monaco renders in them.
  await page.page.bringToFront();
  const started = performance.now();
  await page.page.goto(url);
  await page.page.waitForFunction(
    () => document.querySelector('.graphiql-query-editor .view-line')?.textContent?.length,
    { timeout: 120_000 },
  );
  const editorMs = performance.now() - started;
  if (!(await editorText(page.page, '.graphiql-query-editor')).includes('me {')) {
    throw new Error('the default query is not in the editor');
  }
  await waitFor(() => schemaAt > 0, 'the introspection answer', 60_000);
  page.page.off('response', onResponse);
  // Wait for the network to settle so that the byte count holds the whole load.
  await waitFor(
    () => performance.now() - page.lastActivity() > SETTLED_MS,
    'a quiet network',
    60_000,
  );
  return {
    bytes: page.transferredBytes() - before,
    requests: page.responses.length - responsesBefore,
    editorMs,
    schemaMs: schemaAt - started,
  } satisfies Load;
}

const median = (values: number[]) => percentile(ascending(values), 50);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

function report(kind: string, loads: Load[]) {
  console.log(
    `  ${kind.padEnd(34)} ${kb(median(loads.map((l) => l.bytes))).padStart(9)} in ${median(loads.map((l) => l.requests))} responses;` +
      ` editor ${median(loads.map((l) => l.editorMs)).toFixed(0)} ms, schema ${median(loads.map((l) => l.schemaMs)).toFixed(0)} ms` +
      (loads.length > 1 ? ` (median of ${loads.length})` : ''),
  );
}

export async function graphiqlLoad() {
  const supergraph = await startSupergraph({ env: { NODE_ENV: 'development' } });
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    console.log(`GraphiQL first load from the router (${supergraph.url}), headless chromium`);
    const first = await openLoopbackPage(browser, { observeOnly: true });
    report("router's first page (compresses)", [await load(first, supergraph.url)]);
    const fresh: Load[] = [];
    const cached: Load[] = [];
    const visitors: LoopbackPage[] = [];
    for (let i = 0; i < RUNS; i++) {
      const visitor = await openLoopbackPage(browser, { observeOnly: true });
      visitors.push(visitor);
      fresh.push(await load(visitor, supergraph.url));
      cached.push(await load(visitor, supergraph.url));
      await visitor.page.browserContext().close();
    }
    report('new visitor (empty cache)', fresh);
    report('returning visitor (cached assets)', cached);
    const inline = Buffer.byteLength(renderGraphiQL({ title: 'AI platform supergraph' }));
    console.log(
      `  for scale: render-graphiql's inline page is ${kb(inline)} uncompressed, on every load`,
    );
    const left = [first, ...visitors].flatMap((page) => page.refused);
    if (left.length > 0) throw new Error(`requests left the machine: ${left.join(', ')}`);
  } finally {
    await browser?.close();
    await supergraph.close();
  }
}
