// Runs the demo against a router (`npm start` at the repository root serves one on :4000).
// The only file that reads the environment.
import WebSocket from 'ws';
import { demo, signUpToken } from './demo.js';

const DEFAULT_URL = 'http://localhost:4000/graphql';

async function main() {
  const url = process.env['GRAPHQL_URL'] ?? DEFAULT_URL;
  // Node 20 has no WebSocket of its own; a browser passes nothing.
  const endpoint = { url, webSocketImpl: WebSocket };
  const token =
    process.env['TOKEN'] ??
    (await signUpToken(endpoint, `demo-${Date.now()}@example.com`, 'a long password'));
  await demo({ ...endpoint, token });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
