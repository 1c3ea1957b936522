// Every GraphQL example of the README runs against the in-process supergraph, in the README's
// order, with the variables it shows, and answers what it documents: the documentation
// cannot drift from what the router serves. Operations are sent as the README tells a
// reader to: the whole block, picked by `operationName`, with the token of the last signUp or
// login.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { graphql, waitFor } from '@supergraph/kit/testing';
import { startSupergraph, type Supergraph } from '../harness.js';
import { openSubscriptions, subscribeWs, wsClient } from '../realtime.js';
import { differences, readmeOperations, resolveVariables } from '../readme-examples.js';

const README = readFileSync(join(__dirname, '../../README.md'), 'utf8');
const operations = readmeOperations(README);

describe('README examples through the router', () => {
  let supergraph: Supergraph;
  let token: string | undefined;
  const answers: Record<string, unknown>[] = [];

  beforeAll(async () => {
    // The demo admin exists, for the examples that an admin runs (after its AdminLogin).
    supergraph = await startSupergraph({ env: { DEMO_USER: 'true' } });
  });
  afterAll(() => supergraph?.close());

  const run = async (name: string) => {
    const operation = operations.find((candidate) => candidate.name === name)!;
    const result = await graphql(supergraph.url, {
      query: operation.document,
      operationName: operation.name,
      variables: resolveVariables(operation.variables, answers),
      token,
    });
    const answer = { data: result.data, ...(result.errors ? { errors: result.errors } : {}) };
    if (result.data) answers.push(result.data as Record<string, unknown>);
    return answer;
  };

  it('has named operations, each with its documented answer', () => {
    expect(operations.length).toBeGreaterThanOrEqual(8);
    const undocumented = operations.filter((operation) => !operation.answer && !operation.event);
    expect(undocumented.map((operation) => operation.name)).toEqual([]);
  });

  it('explains how to pick an operation of a block: without a name, BAD_REQUEST', async () => {
    const block = operations.find(
      (operation, i) => operations[i + 1]?.document === operation.document,
    );
    const result = await graphql(supergraph.url, { query: block!.document });
    expect(result.errors?.[0]).toMatchObject({
      message: 'Could not determine what operation to execute.',
      extensions: { code: 'BAD_REQUEST' },
    });
    expect(README).toContain('operationName');
    expect(README).toContain('`BAD_REQUEST`');
  });

  // In order: later examples use what earlier ones created, and the token of the first.
  it.each(operations.map((operation) => [operation.name, operation]))(
    '%s answers as documented',
    async (name, operation) => {
      if (operation.type === 'subscription') {
        const client = wsClient(supergraph.url, token);
        try {
          const events = subscribeWs(client, {
            query: operation.document,
            operationName: operation.name,
            variables: resolveVariables(operation.variables, answers),
          });
          // Once the owning subgraph holds the subscription, run the operation whose effect
          // the README says it streams.
          await waitFor(
            async () =>
              (await Promise.all(Object.values(supergraph.services).map(openSubscriptions))).some(
                (open) => open > 0,
              ),
            `${name} open at its subgraph`,
            30_000,
          );
          await run(operation.event!.after);
          const [event] = await events.received(1, 30_000);
          events.unsubscribe();
          expect(differences(event, operation.event!.answer)).toEqual([]);
        } finally {
          await client.dispose();
        }
        return;
      }
      const answer = await run(name);
      expect(differences(answer, operation.answer)).toEqual([]);
      const data = answer.data as
        { signUp?: { token?: string }; login?: { token?: string } } | undefined;
      const signedIn = data?.signUp ?? data?.login;
      if (signedIn?.token) token = signedIn.token;
    },
  );
});
