// GraphiQL from the router: a small page whose scripts and styles are the router's own
// content-named assets (nothing from a CDN), served compressed and cached for good; and no
// GraphiQL at all when it is off (production's default).
import { parseConfig } from '../src/config.js';
import { createRouter, type Router } from '../src/router.js';
import { greeterSupergraph } from './greeter.js';

const page = (router: Router) =>
  router.yoga.fetch('http://router.test/graphql', { headers: { accept: 'text/html' } });

describe('GraphiQL at the router', () => {
  let router: Router | undefined;
  afterEach(async () => {
    await router?.close();
    router = undefined;
  });

  const start = async (env: Record<string, string> = {}) => {
    router = await createRouter(parseConfig({ LOG_LEVEL: 'silent', ...env }), {
      supergraphSdl: greeterSupergraph(),
    });
    return router;
  };

  it('serves a small page that loads only its own assets', async () => {
    const response = await page(await start());
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html.length).toBeLessThan(10_000);
    const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
    expect(sources.length).toBeGreaterThanOrEqual(4);
    for (const source of sources) expect(source).toMatch(/^\/graphql\/assets\/[\w.-]+$/);
    expect(html).not.toMatch(/https?:\/\//);
  });

  it('serves each asset compressed, immutable, and 304 for a known ETag', async () => {
    const html = await (await page(await start())).text();
    const script = /<script src="([^"]+graphiql\.[^"]+\.js)"/.exec(html)![1]!;
    const url = `http://router.test${script}`;
    const brotli = await router!.yoga.fetch(url, { headers: { 'accept-encoding': 'gzip, br' } });
    expect(brotli.status).toBe(200);
    expect(brotli.headers.get('content-encoding')).toBe('br');
    expect(brotli.headers.get('cache-control')).toContain('immutable');
    expect(brotli.headers.get('content-type')).toMatch(/javascript/);
    const etag = brotli.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const gzip = await router!.yoga.fetch(url, { headers: { 'accept-encoding': 'gzip, br;q=0' } });
    expect(gzip.headers.get('content-encoding')).toBe('gzip');
    const plain = await router!.yoga.fetch(url);
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(Number(plain.headers.get('content-length'))).toBeGreaterThan(
      Number(brotli.headers.get('content-length')),
    );
    const again = await router!.yoga.fetch(url, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    const unknown = await router!.yoga.fetch('http://router.test/graphql/assets/nothing.js');
    expect(unknown.status).toBe(404);
  });

  it('serves neither page nor assets when GraphiQL is off', async () => {
    await start({ GRAPHIQL: 'false' });
    const response = await page(router!);
    expect(response.headers.get('content-type') ?? '').not.toMatch(/text\/html/);
    const asset = await router!.yoga.fetch('http://router.test/graphql/assets/graphiql.js');
    expect(asset.status).toBe(404);
  });
});
