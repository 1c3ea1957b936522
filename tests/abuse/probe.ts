import { createTestIssuer, graphql } from '@supergraph/kit/testing';
import { parseConfig } from '../../subgraphs/memory/src/config.js';
import { createMemorySubgraph } from '../../subgraphs/memory/src/subgraph.js';
async function main() {

const issuer = await createTestIssuer();
const sg = await createMemorySubgraph(parseConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: 'memory://', PORT: '0' }), { verifier: issuer.verifier });
const { url } = await sg.listen();
const token = await issuer.token('5d0c7a8e-8f7c-4c1b-9c1a-111111111111', ['memory:read', 'memory:write']);
const t0 = Date.now();
for (let b = 0; b < 5; b++) {
  const inputs = Array.from({ length: 100 }, (_, i) => ({ content: `memory ${b * 100 + i} about topic ${i % 17} and ${i % 5}` }));
  const r = await graphql(url, { query: 'mutation($i:[CreateMemoryInput!]!){createMemories(inputs:$i){id}}', variables: { i: inputs }, token });
  if (r.errors) throw new Error(JSON.stringify(r.errors));
}
console.log('seeded in', Date.now() - t0);
let inner = 'memory { id }';
for (let i = 0; i < 5; i++) inner = `memory { id similar(topK: 1000) { score ${inner} } }`;
const query = `{ searchMemories(input: { text: "topic", topK: 1000 }) { score ${inner} } }`;
console.log(query);
const mon = setInterval(() => console.log('heap MB', Math.round(process.memoryUsage().heapUsed / 1e6), 'at', Date.now() - t1), 250);
const t1 = Date.now();
try {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query }), signal: AbortSignal.timeout(1500) });
  console.log('answered', res.status, (await res.text()).slice(0, 300));
} catch (e) { console.log('client gave up', (e as Error).name, Date.now() - t1); }
await new Promise((r) => setTimeout(r, 5000));
clearInterval(mon);
await sg.close();

}
void main();
