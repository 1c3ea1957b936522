// Executions in one tools replica on the embedded database: arguments checked against the
// input schema with JSON pointers, outputs against the output schema, idempotency keys,
// waiting, cancellation, the bounded queue, visibility, and the live stream of a run.
import { randomUUID } from 'node:crypto';
import { createTestIssuer, errorCodes, graphql, waitFor } from '@supergraph/kit/testing';
import { createToolsSubgraph } from '../src/subgraph.js';
import { objectSchema, testToolsConfig } from './setup.js';

const EXECUTION =
  'id status toolName toolVersion arguments output outputTruncated error { code message } logs { level message } progress { progress total message } attempts idempotencyKey requestedBy { id } startedAt finishedAt durationMs';
const EXECUTE = `mutation($input: ExecuteToolInput!) { executeTool(input: $input) { ${EXECUTION} } }`;
const GET = `query($id: ID!) { execution(id: $id) { ${EXECUTION} } }`;
const CANCEL = `mutation($id: ID!) { cancelExecution(id: $id) { ${EXECUTION} } }`;
const REGISTER = `mutation($input: RegisterToolInput!) { registerTool(input: $input) { id name } }`;

describe('tool executions', () => {
  let subgraph: Awaited<ReturnType<typeof createToolsSubgraph>>;
  let issuer: Awaited<ReturnType<typeof createTestIssuer>>;
  let admin: string;
  let alice: string;
  const aliceId = randomUUID();
  let bob: string;
  const call = (query: string, variables: Record<string, unknown> = {}, token = alice) =>
    graphql(subgraph.yoga, { query, variables, token });
  const execute = (input: Record<string, unknown>, token = alice) =>
    call(EXECUTE, { input }, token);
  const register = async (input: Record<string, unknown>) => {
    const result = await call(REGISTER, { input }, admin);
    expect(result.errors).toBeUndefined();
    return result.data!.registerTool as { id: string; name: string };
  };
  const statusOf = async (id: string) => (await call(GET, { id })).data!.execution.status;

  beforeAll(async () => {
    issuer = await createTestIssuer();
    subgraph = await createToolsSubgraph(
      testToolsConfig({ queue: { maxRunningPerUser: 2, maxQueuedPerUser: 3 } }),
      { verifier: issuer.verifier },
    );
    admin = await issuer.token(randomUUID(), ['tools:admin', 'tools:read', 'tools:execute']);
    alice = await issuer.token(aliceId, ['tools:read', 'tools:execute']);
    bob = await issuer.token(randomUUID(), ['tools:read', 'tools:execute']);
    await register({
      name: 'add',
      description: 'Adds two numbers.',
      inputSchema: {
        ...objectSchema({ a: { type: 'number' }, b: { type: 'number' } }),
        additionalProperties: false,
      },
      outputSchema: objectSchema({ sum: { type: 'number' } }),
      annotations: { readOnlyHint: true, idempotentHint: true },
      version: '3.0.0',
      javascript:
        "console.log('adding', args.a, args.b); progress(1, 1, 'done'); return { sum: args.a + args.b };",
    });
    await register({
      name: 'liar',
      description: 'Says it returns a sum; does not.',
      inputSchema: objectSchema(),
      outputSchema: objectSchema({ sum: { type: 'number' } }),
      javascript: "return { sum: 'many' };",
    });
    await register({
      name: 'spin',
      description: 'Runs until stopped.',
      inputSchema: objectSchema(),
      javascript: "console.log('spinning'); for (;;) {}",
      timeoutMs: 60_000,
    });
    await register({
      name: 'chatter',
      description: 'Logs now and then until stopped.',
      inputSchema: objectSchema(),
      javascript: "let i = 0; for (;;) { if (++i % 2000000 === 0) console.log('tick'); }",
      timeoutMs: 60_000,
    });
    await register({
      name: 'ask-user',
      description: 'Run by the caller.',
      inputSchema: objectSchema(),
    });
  });
  afterAll(() => subgraph.close());

  it('runs a tool, waiting for its end, with output, logs, progress and timings', async () => {
    const result = await execute({ toolName: 'add', arguments: { a: 2, b: 40 }, waitMs: 30_000 });
    expect(result.errors).toBeUndefined();
    const execution = result.data!.executeTool;
    expect(execution).toMatchObject({
      status: 'SUCCEEDED',
      toolName: 'add',
      toolVersion: '3.0.0',
      arguments: { a: 2, b: 40 },
      output: { sum: 42 },
      outputTruncated: false,
      error: null,
      logs: [{ level: 'log', message: 'adding 2 40' }],
      progress: { progress: 1, total: 1, message: 'done' },
      attempts: 1,
      requestedBy: { id: aliceId },
    });
    expect(execution.durationMs).toBeGreaterThanOrEqual(0);
    // And it counts in /metrics.
    const metrics = await (await subgraph.yoga.fetch('http://tools/metrics')).text();
    expect(metrics).toMatch(
      /tools_executions_finished_total\{kind="javascript",status="succeeded"[^}]*\} [1-9]/,
    );
    expect(metrics).toMatch(
      /tools_execution_duration_seconds_count\{[^}]*kind="javascript"[^}]*\} [1-9]/,
    );
    expect(new Date(execution.finishedAt).getTime()).toBeGreaterThanOrEqual(
      new Date(execution.startedAt).getTime(),
    );
  });

  it('works through more executions than it has workers', async () => {
    // Four callers with three each: more than the four workers, within each caller's queue.
    const callers = await Promise.all(
      Array.from({ length: 4 }, () => issuer.token(randomUUID(), ['tools:execute'])),
    );
    const started = await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        const token = callers[i % 4]!;
        const result = await execute({ toolName: 'add', arguments: { a: i, b: 1 } }, token);
        expect(result.errors).toBeUndefined();
        return { id: result.data!.executeTool.id as string, token };
      }),
    );
    const outputs = async () =>
      Promise.all(
        started.map(async ({ id, token }) => (await call(GET, { id }, token)).data!.execution),
      );
    await waitFor(
      async () => (await outputs()).every((execution) => execution.status === 'SUCCEEDED'),
      'all twelve done',
    );
    expect((await outputs()).map((execution) => execution.output.sum)).toEqual(
      Array.from({ length: 12 }, (_, i) => i + 1),
    );
  });

  it('refuses arguments that break the input schema, naming each problem by JSON pointer', async () => {
    const before = (await call('{ executions(first: 200) { id } }')).data!.executions;
    const result = await execute({ toolName: 'add', arguments: { a: 'two', c: 1 } });
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    const problems = result.errors![0]!.extensions!['problems'] as { pointer: string }[];
    expect(problems.map((problem) => problem.pointer).sort()).toEqual(['/a', '/b', '/c']);
    expect(result.errors![0]!.extensions!['field']).toBe('input.arguments');
    expect((await call('{ executions(first: 200) { id } }')).data!.executions).toEqual(before);
  });

  it('fails an execution whose output breaks the output schema', async () => {
    const result = await execute({ toolName: 'liar', arguments: {}, waitMs: 30_000 });
    expect(result.data!.executeTool).toMatchObject({
      status: 'FAILED',
      error: { code: 'OUTPUT_INVALID' },
    });
    expect(result.data!.executeTool.error.message).toContain('/sum');
  });

  it('refuses unknown, disabled and CLIENT tools', async () => {
    expect(errorCodes(await execute({ toolName: 'nope', arguments: {} }))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await execute({ toolId: randomUUID(), arguments: {} }))).toEqual([
      'NOT_FOUND',
    ]);
    expect(errorCodes(await execute({ toolName: 'ask-user', arguments: {} }))).toEqual([
      'BAD_USER_INPUT',
    ]);
    expect(
      errorCodes(await execute({ toolName: 'add', toolId: randomUUID(), arguments: {} })),
    ).toEqual(['BAD_USER_INPUT']);
    const reader = await issuer.token(randomUUID(), ['tools:read']);
    expect(
      errorCodes(await execute({ toolName: 'add', arguments: { a: 1, b: 1 } }, reader)),
    ).toEqual(['FORBIDDEN']);
  });

  it('returns the same execution for a retried idempotency key, and refuses it for another request', async () => {
    const key = `key-${randomUUID()}`;
    const first = await execute({
      toolName: 'add',
      arguments: { a: 1, b: 2 },
      idempotencyKey: key,
    });
    const again = await execute({
      toolName: 'add',
      arguments: { b: 2, a: 1 },
      idempotencyKey: key,
      waitMs: 30_000,
    });
    expect(again.data!.executeTool.id).toBe(first.data!.executeTool.id);
    expect(again.data!.executeTool).toMatchObject({ status: 'SUCCEEDED', output: { sum: 3 } });
    const other = await execute({
      toolName: 'add',
      arguments: { a: 5, b: 2 },
      idempotencyKey: key,
    });
    expect(errorCodes(other)).toEqual(['CONFLICT']);
    // Keys are per caller: bob's same key is his own execution.
    const bobs = await execute(
      { toolName: 'add', arguments: { a: 1, b: 2 }, idempotencyKey: key },
      bob,
    );
    expect(bobs.data!.executeTool.id).not.toBe(first.data!.executeTool.id);
  });

  it('cancels a running tool at once, and a queued one before it starts', async () => {
    const running = (await execute({ toolName: 'spin', arguments: {} })).data!.executeTool;
    await waitFor(async () => (await statusOf(running.id)) === 'RUNNING', 'the spin to run');
    const cancelled = await call(CANCEL, { id: running.id });
    expect(cancelled.errors).toBeUndefined();
    await waitFor(async () => (await statusOf(running.id)) === 'CANCELLED', 'the spin to stop');
    const after = (await call(GET, { id: running.id })).data!.execution;
    expect(after.error.code).toBe('CANCELLED');
    // Cancelling a finished execution changes nothing.
    expect((await call(CANCEL, { id: running.id })).data!.cancelExecution.status).toBe('CANCELLED');
    // Another user cannot see or cancel it.
    expect((await call(GET, { id: running.id }, bob)).data!.execution).toBeNull();
    expect(errorCodes(await call(CANCEL, { id: running.id }, bob))).toEqual(['NOT_FOUND']);
    // An admin sees everyone's.
    expect((await call(GET, { id: running.id }, admin)).data!.execution.status).toBe('CANCELLED');
  });

  it('keeps a bounded queue per user: OVERLOADED beyond it, and nothing stored', async () => {
    // Two spins hold alice's two running places; three more wait; the sixth is refused.
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const result = await execute({ toolName: 'spin', arguments: {} });
      expect(result.errors).toBeUndefined();
      ids.push(result.data!.executeTool.id);
    }
    await waitFor(
      async () =>
        (await Promise.all(ids.map(statusOf))).filter((s) => s === 'RUNNING').length === 2,
      'two spins running',
    );
    expect((await Promise.all(ids.map(statusOf))).filter((s) => s === 'QUEUED')).toHaveLength(3);
    const before = (await call('{ executions(first: 200) { id } }')).data!.executions;
    const refused = await execute({ toolName: 'spin', arguments: {} });
    expect(errorCodes(refused)).toEqual(['OVERLOADED']);
    expect((await call('{ executions(first: 200) { id } }')).data!.executions).toEqual(before);
    // Bob is not held up by alice's queue.
    const bobs = await execute({ toolName: 'add', arguments: { a: 1, b: 1 }, waitMs: 30_000 }, bob);
    expect(bobs.data!.executeTool.status).toBe('SUCCEEDED');
    for (const id of ids) await call(CANCEL, { id });
    await waitFor(
      async () => (await Promise.all(ids.map(statusOf))).every((s) => s === 'CANCELLED'),
      'every spin cancelled',
    );
  });

  it('streams an execution: its state first, then log lines, progress and the end', async () => {
    const started = (await execute({ toolName: 'chatter', arguments: {} })).data!.executeTool;
    const response = await subgraph.yoga.fetch('http://tools/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'text/event-stream',
        authorization: `Bearer ${alice}`,
      },
      body: JSON.stringify({
        query: `subscription($id: ID!) { executionEvents(id: $id) { kind status log { message } execution { id status error { code } } } }`,
        variables: { id: started.id },
      }),
    });
    expect(response.status).toBe(200);
    const events: { kind: string; status: string; log: { message: string } | null }[] = [];
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let cancelled = false;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const chunk = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = chunk.split('\n').find((line) => line.startsWith('data: '));
        if (!data) continue;
        const payload = JSON.parse(data.slice(6));
        if (payload.data) events.push(payload.data.executionEvents);
      }
      // Once it logged, it runs: stop it, and the stream must end with CANCELLED.
      if (!cancelled && events.some((event) => event.kind === 'LOG')) {
        cancelled = true;
        await call(CANCEL, { id: started.id });
      }
    }
    expect(events[0]).toMatchObject({ kind: 'STATUS' });
    expect(events.find((event) => event.kind === 'LOG')!.log).toEqual({ message: 'tick' });
    expect(events.at(-1)).toMatchObject({
      kind: 'STATUS',
      status: 'CANCELLED',
      execution: { id: started.id, status: 'CANCELLED', error: { code: 'CANCELLED' } },
    });
    expect(events.map((event) => event.status)).toContain('RUNNING');
  });
});
