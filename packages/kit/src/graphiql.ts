// GraphiQL served by the router itself, with nothing fetched from another machine. yoga's
// default page loads GraphiQL from a CDN; @graphql-yoga/render-graphiql holds the same build
// (GraphiQL, the explorer plugin, Monaco and its workers, fonts inline) in one 9 MB module.
// Its parts are served here as separate assets named by their content, compressed once and
// cached by the browser for good, so that the page itself stays a few kilobytes.
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { GraphiQLOptions, Plugin } from 'graphql-yoga';
import { DEMO_USER_DEFAULTS } from './config.js';
import { PAGE_SCRIPT, PAGE_STYLE } from './graphiql-page.js';

/** Where the assets are served; under the GraphQL path, so one proxy rule covers both. */
export const GRAPHIQL_ASSETS_PATH = '/graphql/assets/';

const IMMUTABLE = 'public, max-age=31536000, immutable';
const BROTLI_QUALITY = 9; // 11 takes seconds on the 5 MB script for 10% less
const JS = 'text/javascript; charset=utf-8';

/** Bytes a Response accepts as its body (a Buffer's type does not say it holds an ArrayBuffer). */
type Bytes = Uint8Array<ArrayBuffer>;

interface Asset {
  type: string;
  identity: Bytes;
  br: Bytes;
  gzip: Bytes;
  etag: string;
}

interface Assets {
  /** Asset URL by logical name (`graphiql.js` -> `/graphql/assets/graphiql.3f2a….js`). */
  urls: Record<string, string>;
  byPath: Map<string, Asset>;
}

const compressBrotli = promisify(brotliCompress);
const compressGzip = promisify(gzip);

async function asset(type: string, content: string | Buffer): Promise<Asset> {
  const identity = typeof content === 'string' ? Buffer.from(content) : content;
  const [br, gz] = await Promise.all([
    compressBrotli(identity, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: identity.length,
      },
    }),
    compressGzip(identity, { level: constants.Z_BEST_COMPRESSION }),
  ]);
  const etag = `"${createHash('sha256').update(identity).digest('base64url').slice(0, 16)}"`;
  const bytes = (buffer: Buffer): Bytes => new Uint8Array(buffer);
  return { type, identity: bytes(identity), br: bytes(br), gzip: bytes(gz), etag };
}

/** Loads the bundle and compresses its parts, once, on the first request that needs them:
 * a router with GraphiQL off (production) never holds the 9 MB. */
async function buildAssets(): Promise<Assets> {
  const bundle = await import('@graphql-yoga/render-graphiql/graphiql');
  const favicon = /^data:([^;]+);base64,(.*)$/.exec(bundle.favicon);
  const sources: Record<string, [string, string | Buffer]> = {
    'graphiql.js': [JS, bundle.js],
    'graphiql.css': ['text/css; charset=utf-8', bundle.css],
    'page.js': [JS, PAGE_SCRIPT],
    'page.css': ['text/css; charset=utf-8', PAGE_STYLE],
    // Monaco starts these as workers from the URLs the page gives it (MonacoEnvironment).
    'editor.worker.js': [JS, bundle.editorWorkerService],
    'json.worker.js': [JS, bundle.jsonWorker],
    'graphql.worker.js': [JS, bundle.graphqlWorker],
    ...(favicon ? { 'favicon.ico': [favicon[1]!, Buffer.from(favicon[2]!, 'base64')] } : {}),
  };
  const urls: Record<string, string> = {};
  const byPath = new Map<string, Asset>();
  await Promise.all(
    Object.entries(sources).map(async ([name, [type, content]]) => {
      const built = await asset(type, content);
      const dot = name.indexOf('.');
      const path = `${GRAPHIQL_ASSETS_PATH}${name.slice(0, dot)}.${built.etag.slice(1, 13)}${name.slice(dot)}`;
      urls[name] = path;
      byPath.set(path, built);
    }),
  );
  return { urls, byPath };
}

/** The encoding to answer with, from Accept-Encoding (brotli first; `q=0` refuses). */
function encodingFor(accept: string | null): 'br' | 'gzip' | undefined {
  const offered = new Map(
    (accept ?? '').split(',').map((part) => {
      const [name, ...params] = part.trim().toLowerCase().split(';');
      const q = params.find((param) => param.trim().startsWith('q='));
      return [name!, q ? Number(q.trim().slice(2)) : 1] as const;
    }),
  );
  if ((offered.get('br') ?? 0) > 0) return 'br';
  if ((offered.get('gzip') ?? 0) > 0) return 'gzip';
  return undefined;
}

function assetResponse(request: Request, served: Asset): Response {
  const headers: Record<string, string> = {
    'content-type': served.type,
    'cache-control': IMMUTABLE,
    etag: served.etag,
    vary: 'accept-encoding',
  };
  if (request.headers.get('if-none-match') === served.etag) {
    return new Response(null, { status: 304, headers });
  }
  const encoding = encodingFor(request.headers.get('accept-encoding'));
  const body = encoding ? served[encoding] : served.identity;
  if (encoding) headers['content-encoding'] = encoding;
  headers['content-length'] = String(body.length);
  return new Response(request.method === 'HEAD' ? null : body, { headers });
}

/** JSON inside a <script> element: `<` escaped so that no value can close the element. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

export interface GraphiQLSettings {
  title: string;
  defaultQuery: string;
  /** The sign-in bar: filled with the demo user (development), blank, or none (a subgraph's
   * page: only the security subgraph has a login mutation). */
  signIn: 'demo' | 'blank' | 'none';
}

const SIGN_IN_FORMS = {
  demo: DEMO_USER_DEFAULTS,
  blank: { email: '', password: '' },
  none: null,
} as const;

/**
 * GraphiQL for the router and the subgraphs: yoga's `graphiql` options and `renderGraphiQL`, and a plugin that
 * serves the assets. Subscriptions go over graphql-ws on the GraphQL path, with the token of
 * the sign-in bar in connectionParams.
 */
export function createGraphiQL(settings: GraphiQLSettings) {
  let assets: Promise<Assets> | undefined;
  const loadAssets = () => (assets ??= buildAssets());

  const options: GraphiQLOptions = {
    title: settings.title,
    defaultQuery: settings.defaultQuery,
    subscriptionsProtocol: 'WS',
  };

  async function render(opts: GraphiQLOptions): Promise<string> {
    const { urls } = await loadAssets();
    const pageOptions = {
      graphiql: { ...opts, endpoint: opts.endpoint ?? '/graphql' },
      signIn: SIGN_IN_FORMS[settings.signIn],
      workers: {
        editorWorkerService: urls['editor.worker.js'],
        json: urls['json.worker.js'],
        graphql: urls['graphql.worker.js'],
      },
    };
    return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>${escapeHtml(opts.title ?? 'GraphiQL')}</title>
    <link rel="icon" href="${urls['favicon.ico'] ?? ''}" />
    <link rel="stylesheet" href="${urls['graphiql.css']}" />
    <link rel="stylesheet" href="${urls['page.css']}" />
  </head>
  <body class="no-focus-outline">
    <noscript>GraphiQL needs JavaScript.</noscript>
    <div id="sign-in"></div>
    <div id="root"></div>
    <script id="graphiql-options" type="application/json">${scriptJson(pageOptions)}</script>
    <script src="${urls['page.js']}"></script>
    <script src="${urls['graphiql.js']}"></script>
  </body>
</html>
`;
  }

  const plugin: Plugin = {
    onRequest({ request, url, endResponse }) {
      if (!url.pathname.startsWith(GRAPHIQL_ASSETS_PATH)) return undefined;
      if (request.method !== 'GET' && request.method !== 'HEAD') return undefined;
      return loadAssets().then(({ byPath }) => {
        const served = byPath.get(url.pathname);
        endResponse(
          served
            ? assetResponse(request, served)
            : new Response('No such GraphiQL asset.', { status: 404 }),
        );
      });
    },
  };

  return { options, render, plugin };
}
