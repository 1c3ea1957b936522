// Tools through the router: an admin registers a JavaScript tool, a member executes it and
// follows the execution live over graphql-ws (status, log lines, progress), with the
// execution's user and tool joined from their subgraphs.
import { DEMO_USER_DEFAULTS } from '@supergraph/kit';
import { graphql, waitFor } from '@supergraph/kit/testing';
import { signUp, startSupergraph, type Supergraph } from '../harness.js';
import { subscribeWs, wsClient } from '../realtime.js';

const EVENTS = `subscription($id: ID!) { executionEvents(id: $id) {
  kind status log { message } progress { progress total }
  execution { id status output error { code } requestedBy { id email } tool { name } } } }`;

describe('tools through the router', () => {
  let supergraph: Supergraph;
  let admin: string;
  let member: Awaited<ReturnType<typeof signUp>>;
  const call = (query: string, variables: Record<string, unknown>, token: string) =>
    graphql(supergraph.url, { query, variables, token });

  beforeAll(async () => {
    supergraph = await startSupergraph({ env: { DEMO_USER: 'true' } });
    const login = await graphql(supergraph.url, {
      query: 'mutation($input: LoginInput!) { login(input: $input) { token } }',
      variables: { input: DEMO_USER_DEFAULTS },
    });
    admin = login.data!.login.token;
    member = await signUp(supergraph.url);
    const register = `mutation($input: RegisterToolInput!) { registerTool(input: $input) { id } }`;
    for (const input of [
      {
        name: 'count-up',
        description: 'Counts to n, reporting progress.',
        inputSchema: {
          type: 'object',
          properties: { n: { type: 'integer', minimum: 1, maximum: 10 } },
          required: ['n'],
        },
        javascript:
          "for (let i = 1; i <= args.n; i++) { console.log('at ' + i); progress(i, args.n); } return { counted: args.n };",
      },
      {
        name: 'ticker',
        description: 'Logs a tick now and then until stopped.',
        inputSchema: { type: 'object' },
        javascript: "let i = 0; for (;;) { if (++i % 2000000 === 0) console.log('tick'); }",
        timeoutMs: 60_000,
      },
    ]) {
      const result = await call(register, { input }, admin);
      expect(result.errors).toBeUndefined();
    }
  });
  afterAll(() => supergraph?.close());

  it('executes a tool and answers with the user and tool joined from their subgraphs', async () => {
    const result = await call(
      `mutation { executeTool(input: { toolName: "count-up", arguments: { n: 3 }, waitMs: 30000 }) {
        status output logs { message } progress { progress total } requestedBy { id email } tool { name } } }`,
      {},
      member.token,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.executeTool).toEqual({
      status: 'SUCCEEDED',
      output: { counted: 3 },
      logs: [{ message: 'at 1' }, { message: 'at 2' }, { message: 'at 3' }],
      progress: { progress: 3, total: 3 },
      requestedBy: { id: member.userId, email: member.email },
      tool: { name: 'count-up' },
    });
  });

  it('streams a running execution over graphql-ws until it ends', async () => {
    const started = await call(
      'mutation { executeTool(input: { toolName: "ticker", arguments: {} }) { id status } }',
      {},
      member.token,
    );
    const id = started.data!.executeTool.id as string;
    const client = wsClient(supergraph.url, member.token);
    try {
      const stream = subscribeWs(client, { query: EVENTS, variables: { id } });
      const kinds = () => stream.results.map((result) => result.data?.executionEvents.kind);
      await waitFor(() => kinds().includes('LOG'), 'a log line streamed', 30_000);
      const cancelled = await call(
        'mutation($id: ID!) { cancelExecution(id: $id) { id } }',
        { id },
        member.token,
      );
      expect(cancelled.errors).toBeUndefined();
      await stream.done;
      const events = stream.results.map((result) => result.data!.executionEvents);
      expect(events[0]).toMatchObject({ kind: 'STATUS', execution: { id } });
      expect(events.find((event) => event.kind === 'LOG')!.log).toEqual({ message: 'tick' });
      expect(events.at(-1)).toMatchObject({
        kind: 'STATUS',
        status: 'CANCELLED',
        execution: {
          status: 'CANCELLED',
          error: { code: 'CANCELLED' },
          requestedBy: { id: member.userId, email: member.email },
          tool: { name: 'ticker' },
        },
      });
      // Another member cannot follow it.
      const other = await signUp(supergraph.url);
      const otherClient = wsClient(supergraph.url, other.token);
      const refused = subscribeWs(otherClient, { query: EVENTS, variables: { id } });
      // graphql-ws reports a refused start as an error message, or as a result with errors.
      const errors = (await refused.done.then(
        () => refused.results[0]?.errors,
        (reported: unknown) => reported,
      )) as { extensions?: { code?: string } }[];
      expect(errors[0]!.extensions!.code).toBe('NOT_FOUND');
      await otherClient.dispose();
    } finally {
      await client.dispose();
    }
  });
});
