// Completions through the provider subgraph against two local OpenAI-compatible servers that
// stream as the real API does and fail when told: failover, coded errors, budgets, usage and
// cost, streaming, a stream cut mid-way, and cancel.
import { randomUUID } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { createTestIssuer, errorCodes, graphql } from '@supergraph/kit/testing';
import { testConfig } from './setup.js';
import { createProviderSubgraph } from '../src/subgraph.js';
import { FAKE_OPENAI_KEY, startFakeOpenAi, type FakeOpenAi } from './llm/fake-openai.js';

let primary: FakeOpenAi;
let secondary: FakeOpenAi;
let subgraph: Awaited<ReturnType<typeof createProviderSubgraph>>;
let wsUrl: string;
let admin: string;
let user: string;
let userId: string;
const models: Record<string, string> = {};
const clients: Client[] = [];

const COMPLETE = `mutation($input: CompletionInput!) {
  complete(input: $input) {
    text finishReason cost latencyMs usage { promptTokens completionTokens totalTokens }
    model { name } provider { name } fallbacksTried { code model { name } }
  }
}`;
const ask = (content: string) => [{ role: 'USER', content }];

beforeAll(async () => {
  [primary, secondary] = await Promise.all([startFakeOpenAi(), startFakeOpenAi()]);
  const issuer = await createTestIssuer();
  subgraph = await createProviderSubgraph(
    testConfig({
      PROVIDER_SEED_OFFLINE_ECHO: 'false',
      PROVIDER_MAX_RETRIES: '1',
      PROVIDER_CONNECT_TIMEOUT_MS: '500',
      PROVIDER_FIRST_TOKEN_TIMEOUT_MS: '500',
      PROVIDER_TOTAL_TIMEOUT_MS: '3000',
      PROVIDER_BREAKER_VOLUME_THRESHOLD: '100',
    }),
    { verifier: issuer.verifier },
  );
  wsUrl = (await subgraph.listen(0)).url.replace('http', 'ws');
  admin = await issuer.token(randomUUID(), ['provider:admin', 'provider:read']);
  userId = randomUUID();
  user = await issuer.token(userId, ['provider:complete', 'provider:read']);
  for (const [name, server, input, output] of [
    ['primary', primary, 3, 15],
    ['secondary', secondary, 1, 2],
  ] as const) {
    const provider = await graphql(subgraph.yoga, {
      query: 'mutation($input: CreateProviderInput!) { createProvider(input: $input) { id } }',
      variables: {
        input: { name, kind: 'OPENAI_COMPATIBLE', baseUrl: server.url, apiKey: FAKE_OPENAI_KEY },
      },
      token: admin,
    });
    const model = await graphql(subgraph.yoga, {
      query: 'mutation($input: CreateModelInput!) { createModel(input: $input) { id } }',
      variables: {
        input: {
          providerId: provider.data!.createProvider.id,
          name: `${name}-model`,
          capabilities: ['CHAT'],
          contextWindow: 8192,
          inputPricePerMillion: input,
          outputPricePerMillion: output,
        },
      },
      token: admin,
    });
    models[name] = model.data!.createModel.id;
  }
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.dispose()));
  await subgraph.close();
  await Promise.all([primary.close(), secondary.close()]);
});

describe('complete', () => {
  it('answers with usage, cost from the model prices, and the model that answered', async () => {
    const { data, errors } = await graphql(subgraph.yoga, {
      query: COMPLETE,
      variables: { input: { messages: ask('hello there world'), modelId: models['primary'] } },
      token: user,
    });
    expect(errors).toBeUndefined();
    const answer = data!.complete;
    expect(answer).toMatchObject({
      text: 'hello there world',
      finishReason: 'STOP',
      model: { name: 'primary-model' },
      provider: { name: 'primary' },
      fallbacksTried: [],
    });
    const { promptTokens, completionTokens } = answer.usage;
    expect(answer.usage.totalTokens).toBe(promptTokens + completionTokens);
    expect(answer.cost).toBeCloseTo((promptTokens * 3 + completionTokens * 15) / 1e6, 9);
  });

  it('fails over along the chain when a provider keeps failing', async () => {
    primary.script({ kind: 'error', status: 500 });
    primary.script({ kind: 'error', status: 500 });
    const before = secondary.calls.length;
    const { data, errors } = await graphql(subgraph.yoga, {
      query: COMPLETE,
      variables: {
        input: {
          messages: ask('fail over please'),
          modelId: models['primary'],
          fallbackModelIds: [models['secondary']],
        },
      },
      token: user,
    });
    expect(errors).toBeUndefined();
    expect(data!.complete.provider.name).toBe('secondary');
    expect(data!.complete.fallbacksTried).toEqual([
      { code: 'SERVER', model: { name: 'primary-model' } },
    ]);
    expect(secondary.calls.length).toBe(before + 1);
  });

  it('does not fail over when the request itself is refused (400)', async () => {
    primary.script({ kind: 'error', status: 400, message: 'max_tokens is too large' });
    const before = secondary.calls.length;
    const result = await graphql(subgraph.yoga, {
      query: COMPLETE,
      variables: {
        input: {
          messages: ask('x'),
          modelId: models['primary'],
          fallbackModelIds: [models['secondary']],
        },
      },
      token: user,
    });
    expect(errorCodes(result)).toEqual(['UPSTREAM_ERROR']);
    expect(result.errors![0]!.message).toContain('max_tokens is too large');
    expect(secondary.calls.length).toBe(before);
  });

  it('selects by strategy and requirements, and says when nothing is eligible', async () => {
    const select = async (args: string) =>
      (await graphql(subgraph.yoga, { query: `{ selectModel(${args}) { name } }`, token: user }))
        .data!.selectModel;
    expect(await select('strategy: LOWEST_COST')).toEqual({ name: 'secondary-model' });
    expect(await select('requirements: { minContextWindow: 100000 }')).toBeNull();
    const none = await graphql(subgraph.yoga, {
      query: COMPLETE,
      variables: { input: { messages: ask('x'), requirements: { capabilities: ['VISION'] } } },
      token: user,
    });
    expect(errorCodes(none)).toEqual(['NO_ELIGIBLE_PROVIDER']);
  });

  it.each([
    ['no user message', { messages: [{ role: 'SYSTEM', content: 'be brief' }] }, 'BAD_USER_INPUT'],
    ['zero maxTokens', { messages: ask('x'), maxTokens: 0 }, 'BAD_USER_INPUT'],
    ['a temperature of 3', { messages: ask('x'), temperature: 3 }, 'BAD_USER_INPUT'],
    ['an unknown model', { messages: ask('x'), modelId: randomUUID() }, 'NOT_FOUND'],
  ])('refuses %s', async (_case, input, code) => {
    const result = await graphql(subgraph.yoga, {
      query: COMPLETE,
      variables: { input },
      token: user,
    });
    expect(errorCodes(result)).toEqual([code]);
  });

  it('needs the scope provider:complete', async () => {
    const result = await graphql(subgraph.yoga, {
      query: COMPLETE,
      variables: { input: { messages: ask('x') } },
      token: admin,
    });
    expect(errorCodes(result)).toEqual(['FORBIDDEN']);
  });
});

describe('usage and budgets', () => {
  it('records every completion and enforces the monthly budget before a call', async () => {
    const usage = await graphql(subgraph.yoga, {
      query: '{ usage(groupBy: MODEL) { key requests errors cost } }',
      token: user,
    });
    const byModel = Object.fromEntries(
      usage.data!.usage.map((row: { key: string }) => [row.key, row]),
    );
    expect(byModel[models['primary']!].requests).toBeGreaterThanOrEqual(3);
    expect(byModel[models['primary']!].errors).toBeGreaterThanOrEqual(2);
    const budget = await graphql(subgraph.yoga, {
      query:
        'mutation($u: ID!) { setBudget(userId: $u, monthlyLimit: 0.0000001) { monthlyLimit spentThisMonth remaining } }',
      variables: { u: userId },
      token: admin,
    });
    expect(budget.data!.setBudget.remaining).toBe(0);
    const refused = await graphql(subgraph.yoga, {
      query: COMPLETE,
      variables: { input: { messages: ask('one more'), modelId: models['secondary'] } },
      token: user,
    });
    expect(errorCodes(refused)).toEqual(['BUDGET_EXCEEDED']);
    await graphql(subgraph.yoga, {
      query: 'mutation($u: ID!) { setBudget(userId: $u, monthlyLimit: 100) { remaining } }',
      variables: { u: userId },
      token: admin,
    });
  });
});

function stream(input: Record<string, unknown>) {
  const client = createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${user}` },
  });
  clients.push(client);
  return client.iterate({
    query: `subscription($input: CompletionInput!) {
      completionStream(input: $input) { index delta done cost finishReason usage { promptTokens completionTokens } provider { name } }
    }`,
    variables: { input },
  });
}

describe('completionStream', () => {
  it('streams deltas in order, then usage and cost', async () => {
    const chunks: any[] = [];
    for await (const result of stream({
      messages: ask('one two three four'),
      modelId: models['secondary'],
    })) {
      expect(result.errors).toBeUndefined();
      chunks.push(result.data!['completionStream']);
    }
    const deltas = chunks.filter((chunk) => !chunk.done);
    expect(deltas.map((chunk) => chunk.delta).join('')).toBe('one two three four');
    expect(chunks.map((chunk) => chunk.index)).toEqual(chunks.map((_, i) => i));
    const last = chunks.at(-1);
    expect(last).toMatchObject({
      done: true,
      finishReason: 'STOP',
      provider: { name: 'secondary' },
    });
    expect(last.cost).toBeCloseTo(
      (last.usage.promptTokens * 1 + last.usage.completionTokens * 2) / 1e6,
      9,
    );
  });

  it('ends a stream cut mid-way with a coded error and does not restart it elsewhere', async () => {
    primary.script({ kind: 'answer', cutAfterChunks: 2 });
    const before = secondary.calls.length;
    const deltas: string[] = [];
    let error: any;
    try {
      for await (const result of stream({
        messages: ask('alpha beta gamma delta epsilon'),
        modelId: models['primary'],
        fallbackModelIds: [models['secondary']],
      })) {
        deltas.push((result.data as any).completionStream.delta);
      }
    } catch (errors) {
      // graphql-ws ends an iterator on an error by throwing the list of GraphQL errors.
      error = (errors as any[])[0];
    }
    expect(deltas.length).toBe(2);
    expect(error.extensions.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(secondary.calls.length).toBe(before);
  });

  it('aborts the upstream request when the client unsubscribes', async () => {
    primary.script({ kind: 'answer', stallAfterChunks: 1 });
    const iterator = stream({ messages: ask('slow stream here'), modelId: models['primary'] });
    const first = await iterator.next();
    expect((first.value as any).data.completionStream.index).toBe(0);
    await iterator.return!();
    const call = primary.calls.at(-1)!;
    expect(await call.outcome).toBe('closed-by-client');
  });
});

describe('health, metrics and events', () => {
  it("shows a provider's health after failures, and its breaker state as a metric", async () => {
    primary.script({ kind: 'error', status: 503 });
    primary.script({ kind: 'error', status: 503 });
    await graphql(subgraph.yoga, {
      query: COMPLETE,
      variables: {
        input: {
          messages: ask('x'),
          modelId: models['primary'],
          fallbackModelIds: [models['secondary']],
        },
      },
      token: user,
    });
    const { data } = await graphql(subgraph.yoga, {
      query:
        '{ providers { name health { state breaker consecutiveFailures successRate uptimePercent lastError } } }',
    });
    const health = Object.fromEntries(data!.providers.map((p: any) => [p.name, p.health]));
    expect(health['primary'].consecutiveFailures).toBeGreaterThanOrEqual(2);
    expect(health['primary'].successRate).toBeLessThan(1);
    expect(health['primary'].lastError).toBeTruthy();
    expect(health['secondary']).toMatchObject({ breaker: 'CLOSED', consecutiveFailures: 0 });
    const metrics = await (await subgraph.yoga.fetch('http://localhost/metrics')).text();
    expect(metrics).toMatch(/provider_breaker_state\{[^}]*provider="primary"[^}]*\} 0/);
  });

  it("publishes each ended completion to its user's completionEvents", async () => {
    const client = createClient({
      url: wsUrl,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${user}` },
    });
    clients.push(client);
    const iterator = client.iterate({
      query:
        'subscription { completionEvents { status streamed cost model { name } usage { totalTokens } } }',
    });
    const next = iterator.next();
    // The subscription is live once an event reaches it: complete until one does (bounded).
    let first: IteratorResult<any> | undefined;
    for (let i = 0; i < 20 && !first; i += 1) {
      await graphql(subgraph.yoga, {
        query: COMPLETE,
        variables: { input: { messages: ask('event'), modelId: models['secondary'] } },
        token: user,
      });
      first = await Promise.race([
        next,
        new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 50)),
      ]);
    }
    expect(first!.value.data.completionEvents).toMatchObject({
      status: 'OK',
      streamed: false,
      model: { name: 'secondary-model' },
    });
    await iterator.return!();
  });
});
