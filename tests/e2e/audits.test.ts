// GraphQL over HTTP conformance (graphql-http's serverAudits) of the router and of a subgraph:
// every MUST and SHOULD audit passes.
import { serverAudits } from 'graphql-http';
import { startSupergraph, type Supergraph } from '../harness.js';

let supergraph: Supergraph;
beforeAll(async () => {
  supergraph = await startSupergraph();
});
afterAll(() => supergraph.close());

const required = (name: string) => name.startsWith('MUST') || name.startsWith('SHOULD');

describe.each([
  ['router', () => supergraph.url],
  ['memory subgraph', () => supergraph.subgraphUrls.memory],
])('graphql-http audits of the %s', (_name, url) => {
  it('passes every MUST and SHOULD audit', async () => {
    const audits = serverAudits({ url: url(), fetchFn: fetch }).filter((audit) =>
      required(audit.name),
    );
    expect(audits.length).toBeGreaterThan(30);
    const failures: string[] = [];
    for (const audit of audits) {
      const result = await audit.fn();
      if (result.status !== 'ok') failures.push(`${audit.name}: ${result.reason}`);
    }
    expect(failures).toEqual([]);
  });
});
