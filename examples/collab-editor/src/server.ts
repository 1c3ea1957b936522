// Serves the collaborative editor page: index.html (told where the router is) and the page's
// script, bundled by esbuild from src/app once at start. Builds apart from listening, like the
// services, so that the browser test runs it in process on port 0.
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { build, stop } from 'esbuild';

const ROOT = join(__dirname, '..');
const ENTRY = join(ROOT, 'src', 'app', 'main.ts');
const INDEX_HTML = join(ROOT, 'index.html');
const ROUTER_URL_PLACEHOLDER = '%ROUTER_URL%';
const BUNDLE_PATH = '/app.js';

export const DEFAULT_ROUTER_URL = 'http://localhost:4000/graphql';

export interface EditorServerOptions {
  /** The router's GraphQL URL the page calls (its WebSocket URL is derived from it). */
  routerUrl?: string;
  port?: number;
  host?: string;
}

export interface EditorServer {
  /** The page's URL, e.g. http://127.0.0.1:5173/ */
  url: string;
  close(): Promise<void>;
}

/** The page's script: one ES module for the browser. The `source` condition takes the
 * workspace packages (@supergraph/collab-client) from their TypeScript, as tsx does. */
export async function bundleApp(): Promise<string> {
  try {
    const result = await build({
      entryPoints: [ENTRY],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      conditions: ['source'],
      minify: true,
      legalComments: 'none',
      logLevel: 'silent',
    });
    const [output] = result.outputFiles;
    if (!output) throw new Error('esbuild produced no bundle');
    return output.text;
  } finally {
    // Built once: esbuild's service process is not needed after that (and would keep a test
    // process from exiting).
    await stop();
  }
}

/** The attribute is HTML-escaped so that any URL stays one attribute value. */
const escapeAttribute = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export async function startEditorServer({
  routerUrl = DEFAULT_ROUTER_URL,
  port = 0,
  host = '127.0.0.1',
}: EditorServerOptions = {}): Promise<EditorServer> {
  const [bundle, template] = await Promise.all([bundleApp(), readFile(INDEX_HTML, 'utf8')]);
  const html = template.replace(ROUTER_URL_PLACEHOLDER, escapeAttribute(routerUrl));
  const routes: Record<string, { type: string; body: string }> = {
    '/': { type: 'text/html; charset=utf-8', body: html },
    '/index.html': { type: 'text/html; charset=utf-8', body: html },
    [BUNDLE_PATH]: { type: 'text/javascript; charset=utf-8', body: bundle },
  };

  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://page').pathname;
    const route = routes[path];
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
    } else if (!route) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
    } else {
      response
        .writeHead(200, { 'content-type': route.type, 'cache-control': 'no-store' })
        .end(request.method === 'HEAD' ? undefined : route.body);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host}:${address.port}/`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
