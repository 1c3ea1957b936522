// What a hostile tool author or caller tries against the tools subgraph: code that reaches
// for the host (constructor chains, globalThis, require, import(), prototype pollution), that
// never ends, that eats memory, that answers gigabytes; HTTP tools aimed at the metadata
// address. Each ends as a coded outcome, the host stays untouched, and the subgraph keeps
// answering other requests while the tool runs.
import { randomUUID } from 'node:crypto';
import { createTestIssuer, errorCodes, graphql, waitFor } from '@supergraph/kit/testing';
import { createToolsSubgraph } from '../../subgraphs/tools/src/subgraph.js';
import { objectSchema, testToolsConfig } from '../../subgraphs/tools/test/setup.js';

const EXECUTION = 'id status output outputTruncated error { code message } finishedAt';

describe('hostile tools', () => {
  let subgraph: Awaited<ReturnType<typeof createToolsSubgraph>>;
  let admin: string;
  let member: string;
  const call = (query: string, variables: Record<string, unknown>, token = member) =>
    graphql(subgraph.yoga, { query, variables, token });
  let count = 0;
  /** Registers `code` as a new tool and starts it; resolves with the execution's id. */
  const start = async (code: string, timeoutMs = 10_000) => {
    const name = `hostile-${(count += 1)}`;
    const registered = await call(
      'mutation($input: RegisterToolInput!) { registerTool(input: $input) { id } }',
      {
        input: {
          name,
          description: 'Hostile.',
          inputSchema: objectSchema(),
          javascript: code,
          timeoutMs,
        },
      },
      admin,
    );
    expect(registered.errors).toBeUndefined();
    const started = await call(
      'mutation($name: String!) { executeTool(input: { toolName: $name, arguments: {} }) { id } }',
      { name },
    );
    expect(started.errors).toBeUndefined();
    return started.data!.executeTool.id as string;
  };
  const get = async (id: string) =>
    (await call(`query($id: ID!) { execution(id: $id) { ${EXECUTION} } }`, { id })).data!.execution;
  const finished = async (id: string) => {
    await waitFor(
      async () => !['QUEUED', 'RUNNING'].includes((await get(id)).status),
      'the execution to end',
      60_000,
    );
    return get(id);
  };
  const run = async (code: string) => finished(await start(code));

  beforeAll(async () => {
    const issuer = await createTestIssuer();
    subgraph = await createToolsSubgraph(
      testToolsConfig({ toolLimits: { memoryBytes: 32 * 1024 * 1024, outputBytes: 64 * 1024 } }),
      { verifier: issuer.verifier },
    );
    admin = await issuer.token(randomUUID(), ['tools:admin', 'tools:read', 'tools:execute']);
    member = await issuer.token(randomUUID(), ['tools:read', 'tools:execute']);
  });
  afterAll(() => subgraph.close());

  it.each([
    [
      'a constructor chain to Function',
      "return this.constructor.constructor('return typeof process')()",
    ],
    [
      'Function from the global scope',
      "return Function('return typeof process + typeof require')()",
    ],
    [
      'a host global probe',
      "return [typeof process, typeof require, typeof module, typeof Buffer, typeof fetch, typeof setTimeout, typeof XMLHttpRequest].join(',')",
    ],
    [
      'an error stack walk',
      "try { null.x } catch (e) { return typeof e.constructor.constructor('return process')() }",
    ],
  ])('finds no host through %s', async (_label, code) => {
    const execution = await run(code);
    // Either the probe sees nothing of the host, or the attempt fails as a tool error.
    if (execution.status === 'SUCCEEDED') {
      expect(String(execution.output)).not.toMatch(/object|function/);
    } else {
      expect(execution).toMatchObject({ status: 'FAILED', error: { code: 'TOOL_ERROR' } });
    }
  });

  it('lists no host object on globalThis', async () => {
    const execution = await run('return Object.getOwnPropertyNames(globalThis)');
    expect(execution.status).toBe('SUCCEEDED');
    const names = execution.output as string[];
    for (const host of [
      'process',
      'require',
      'module',
      'Buffer',
      'fetch',
      'setTimeout',
      'global',
    ]) {
      expect(names).not.toContain(host);
    }
  });

  it('keeps prototype pollution inside the sandbox', async () => {
    const execution = await run(
      "Object.prototype.polluted = 'yes'; Array.prototype.push = null; return ({}).polluted",
    );
    expect(execution).toMatchObject({ status: 'SUCCEEDED', output: 'yes' });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(typeof Array.prototype.push).toBe('function');
    // The next tool starts clean.
    expect(await run('return ({}).polluted === undefined')).toMatchObject({ output: true });
  });

  it('refuses import()', async () => {
    const execution = await run("const fs = await import('fs'); return typeof fs.readFileSync");
    expect(execution).toMatchObject({ status: 'FAILED', error: { code: 'TOOL_ERROR' } });
  });

  it('times out an endless loop while the subgraph goes on answering', async () => {
    const id = await start('for (;;) {}', 8_000);
    await waitFor(async () => (await get(id)).status === 'RUNNING', 'the loop to run');
    const answered = await call('{ tools(first: 5) { id } }', {});
    expect(answered.errors).toBeUndefined();
    const answeredAt = Date.now();
    const execution = await finished(id);
    expect(execution).toMatchObject({ status: 'TIMED_OUT', error: { code: 'TIMEOUT' } });
    // The query was answered while the loop still ran.
    expect(new Date(execution.finishedAt).getTime()).toBeGreaterThan(answeredAt);
  });

  it('stops a memory bomb at the memory limit while the subgraph goes on answering', async () => {
    const id = await start(
      "const hoard = []; for (let i = 0; ; i++) hoard.push('x'.repeat(1024) + i);",
    );
    const answered = await Promise.all(
      Array.from({ length: 5 }, () => call('{ tools(first: 5) { id } }', {})),
    );
    expect(answered.every((result) => !result.errors)).toBe(true);
    expect(await finished(id)).toMatchObject({ status: 'FAILED', error: { code: 'MEMORY_LIMIT' } });
  });

  it('cuts a huge output at the bound and flags it', async () => {
    const execution = await run("return 'x'.repeat(5 * 1024 * 1024)");
    expect(execution).toMatchObject({ status: 'SUCCEEDED', outputTruncated: true });
    expect(Buffer.byteLength(JSON.stringify(execution.output))).toBeLessThanOrEqual(70 * 1024);
  });

  it('refuses HTTP tools aimed at the metadata address or a private range', async () => {
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      'http://10.0.0.1/',
      'http://[::1]:8080/',
      'http://metadata.google.internal/',
    ]) {
      const result = await call(
        'mutation($input: RegisterToolInput!) { registerTool(input: $input) { id } }',
        {
          input: {
            name: `fetcher-${(count += 1)}`,
            description: 'Reaches out.',
            inputSchema: objectSchema(),
            http: { url },
          },
        },
        admin,
      );
      expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    }
  });
});
