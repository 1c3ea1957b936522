// `npm start -w examples/collab-editor`: serves the page on 127.0.0.1 (PORT, 5173 by default)
// against the router at ROUTER_URL (`npm start` at the repository root serves one on :4000).
// The only file that reads the environment.
import { DEFAULT_ROUTER_URL, startEditorServer } from './server.js';

const DEFAULT_PORT = 5173;

async function main() {
  const server = await startEditorServer({
    routerUrl: process.env['ROUTER_URL'] ?? DEFAULT_ROUTER_URL,
    port: Number(process.env['PORT'] ?? DEFAULT_PORT),
    host: process.env['HOST'] ?? '127.0.0.1',
  });
  console.log(`Collaborative editor: ${server.url} (open it in two windows)`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
