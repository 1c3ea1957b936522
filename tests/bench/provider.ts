// Provider subgraph against the fake OpenAI server (both in this process, 127.0.0.1):
// 1. added latency: p50/p99 of sequential non-streamed completions sent straight to the fake's
//    /chat/completions and through the `complete` mutation (anchor: LiteLLM reports 2-12 ms
//    median added latency);
// 2. streaming: waves of concurrent `completionStream` subscriptions over graphql-ws for about
//    STREAM_DURATION_S; completions/s, time to first token and total stream time.
// It measures and prints; it never asserts on time. The fake server, the subgraph and every
// client share this process's event loop: the numbers are an upper bound of the overhead.
import { randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { createTestIssuer, graphql } from '@supergraph/kit/testing';
import { parseConfig } from '../../subgraphs/provider/src/config.js';
import { createProviderSubgraph } from '../../subgraphs/provider/src/subgraph.js';
import {
  FAKE_OPENAI_KEY,
  startFakeOpenAi,
  type FakeOpenAi,
} from '../../subgraphs/provider/test/llm/fake-openai.js';
import { graphqlPost } from './request.js';
import { ascending, percentile } from './stats.js';

const WARM_UP = 20;
const SEQUENTIAL = 300;
const PROMPT = 'Say hello to the benchmark in a few words.';
const MODEL = 'bench-model';

const CONCURRENT_STREAMS = 100;
const STREAM_DURATION_S = 10;
/** The scripted answer of every stream: 50 words, which the fake streams as 50 chunks. */
const ANSWER = Array.from({ length: 50 }, (_, i) => `word${i}`).join(' ');
const ANSWER_TOKENS = ANSWER.split(' ').length;

const COMPLETE = `mutation($input: CompletionInput!) {
  complete(input: $input) { text finishReason cost usage { promptTokens completionTokens } }
}`;
const STREAM = `subscription($input: CompletionInput!) {
  completionStream(input: $input) { index delta done finishReason usage { completionTokens } }
}`;

type Stats = { p50: number; p99: number };

function stats(samples: number[]): Stats {
  const sorted = ascending(samples);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

const ms = (value: number) => `${value.toFixed(2).padStart(7)} ms`;

async function time(run: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

/** One non-streamed completion straight to the fake, as the adapter sends it. */
async function direct(openai: FakeOpenAi): Promise<void> {
  const response = await fetch(`${openai.url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${FAKE_OPENAI_KEY}` },
    body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: PROMPT }] }),
  });
  const body = (await response.json()) as { choices?: { message?: { content?: string } }[] };
  if (response.status !== 200 || body.choices?.[0]?.message?.content !== PROMPT) {
    throw new Error(`direct: HTTP ${response.status} ${JSON.stringify(body)}`);
  }
}

/** One non-streamed completion through the subgraph's `complete` mutation. */
async function throughSubgraph(url: string, token: string, modelId: string): Promise<void> {
  const input = { messages: [{ role: 'USER', content: PROMPT }], modelId };
  const response = await fetch(url, graphqlPost(token, { query: COMPLETE, variables: { input } }));
  const body = (await response.json()) as { data?: { complete?: { text?: string } }; errors?: [] };
  if (response.status !== 200 || body.errors || body.data?.complete?.text !== PROMPT) {
    throw new Error(`complete: HTTP ${response.status} ${JSON.stringify(body)}`);
  }
}

async function addedLatency(openai: FakeOpenAi, url: string, token: string, modelId: string) {
  for (let i = 0; i < WARM_UP; i += 1) {
    await direct(openai);
    await throughSubgraph(url, token, modelId);
  }
  // Interleaved so that both paths see the same warm-up, GC and table size.
  const straight: number[] = [];
  const routed: number[] = [];
  for (let i = 0; i < SEQUENTIAL; i += 1) {
    straight.push(await time(() => direct(openai)));
    routed.push(await time(() => throughSubgraph(url, token, modelId)));
  }
  return { direct: stats(straight), subgraph: stats(routed) };
}

interface StreamOutcome {
  ok: boolean;
  failure?: string;
  /** From subscribe to the first delta, and to the final event (or the failure). */
  firstTokenMs?: number;
  totalMs: number;
}

/** One subscription on `client`; settles when the stream is over, never rejects. */
function streamOnce(client: Client, modelId: string): Promise<StreamOutcome> {
  return new Promise((resolve) => {
    const started = performance.now();
    let firstTokenMs: number | undefined;
    let text = '';
    let done: any;
    let failure: string | undefined;
    let expectedIndex = 0;
    const input = { messages: [{ role: 'USER', content: 'Stream fifty words.' }], modelId };
    client.subscribe(
      { query: STREAM, variables: { input } },
      {
        next: (result) => {
          const chunk = (result.data as any)?.completionStream;
          if (result.errors || !chunk) {
            failure ??= `errors: ${JSON.stringify(result.errors)}`;
            return;
          }
          if (chunk.index !== expectedIndex++) failure ??= `chunk ${chunk.index} out of order`;
          if (chunk.done) {
            done = chunk;
            return;
          }
          firstTokenMs ??= performance.now() - started;
          text += chunk.delta;
        },
        error: (error) => {
          failure ??= `error: ${error instanceof Error ? error.message : JSON.stringify(error)}`;
          resolve({ ok: false, failure, firstTokenMs, totalMs: performance.now() - started });
        },
        complete: () => {
          const totalMs = performance.now() - started;
          if (!done) failure ??= 'ended without a done event';
          else if (done.finishReason !== 'STOP') failure ??= `finishReason ${done.finishReason}`;
          else if (text !== ANSWER) failure ??= `text of ${text.length} characters, not the answer`;
          else if (done.usage?.completionTokens !== ANSWER_TOKENS) {
            failure ??= `usage.completionTokens ${done.usage?.completionTokens}`;
          }
          resolve({ ok: failure === undefined, failure, firstTokenMs, totalMs });
        },
      },
    );
  });
}

/** Opens `count` graphql-ws connections (one per concurrent stream) and waits until all are up. */
async function connectClients(wsUrl: string, token: string, count: number): Promise<Client[]> {
  const clients: Client[] = [];
  const connected: Promise<void>[] = [];
  for (let i = 0; i < count; i += 1) {
    connected.push(
      new Promise<void>((resolve, reject) => {
        clients.push(
          createClient({
            url: wsUrl,
            webSocketImpl: WebSocket,
            connectionParams: { authorization: `Bearer ${token}` },
            // Connected before the clock starts and kept open between waves; a lost connection
            // fails its streams instead of being retried silently.
            lazy: false,
            retryAttempts: 0,
            onNonLazyError: reject,
            on: { connected: () => resolve() },
          }),
        );
      }),
    );
  }
  try {
    await Promise.all(connected);
  } catch (error) {
    await Promise.all(clients.map((client) => client.dispose()));
    throw new Error(`graphql-ws connection failed: ${String(error)}`);
  }
  return clients;
}

async function streaming(openai: FakeOpenAi, clients: Client[], modelId: string) {
  const outcomes: StreamOutcome[] = [];
  let waves = 0;
  const started = performance.now();
  const busyBefore = performance.eventLoopUtilization();
  while (performance.now() - started < STREAM_DURATION_S * 1000) {
    for (let i = 0; i < clients.length; i += 1) openai.script({ kind: 'answer', text: ANSWER });
    outcomes.push(...(await Promise.all(clients.map((client) => streamOnce(client, modelId)))));
    waves += 1;
  }
  const elapsedS = (performance.now() - started) / 1000;
  const busy = performance.eventLoopUtilization(busyBefore).utilization;
  const ok = outcomes.filter((outcome) => outcome.ok);
  const failures = outcomes.filter((outcome) => !outcome.ok);
  if (ok.length === 0) {
    throw new Error(`every stream failed, e.g. ${failures[0]?.failure ?? 'none ran'}`);
  }
  return {
    waves,
    elapsedS,
    busy,
    total: outcomes.length,
    ok: ok.length,
    failures,
    perSecond: ok.length / elapsedS,
    firstToken: stats(ok.map((outcome) => outcome.firstTokenMs!)),
    streamTime: stats(ok.map((outcome) => outcome.totalMs)),
  };
}

export async function provider(): Promise<void> {
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    const openai = await startFakeOpenAi();
    cleanups.push(() => openai.close());
    const issuer = await createTestIssuer();
    const subgraph = await createProviderSubgraph(
      parseConfig({
        NODE_ENV: 'production',
        LOG_LEVEL: 'silent',
        DATA_DIR: 'memory://',
        PROVIDER_SEED_OFFLINE_ECHO: 'false',
        // Production seals stored API keys and refuses to start without a key (ignored by
        // versions of the subgraph that do not seal them).
        PROVIDER_SECRET_KEY: randomBytes(32).toString('base64'),
      }),
      { verifier: issuer.verifier },
    );
    cleanups.push(() => subgraph.close());
    const { url } = await subgraph.listen(0);
    const admin = await issuer.token(randomUUID(), ['provider:admin']);
    const user = await issuer.token(randomUUID(), ['provider:complete']);

    const created = await graphql(url, {
      query: 'mutation($input: CreateProviderInput!) { createProvider(input: $input) { id } }',
      variables: {
        input: {
          name: 'fake-openai',
          kind: 'OPENAI_COMPATIBLE',
          baseUrl: openai.url,
          apiKey: FAKE_OPENAI_KEY,
        },
      },
      token: admin,
    });
    if (created.errors) throw new Error(`createProvider: ${JSON.stringify(created.errors)}`);
    const model = await graphql(url, {
      query: 'mutation($input: CreateModelInput!) { createModel(input: $input) { id } }',
      variables: {
        input: {
          providerId: created.data!['createProvider'].id,
          name: MODEL,
          capabilities: ['CHAT'],
          contextWindow: 8192,
          inputPricePerMillion: 0.15,
          outputPricePerMillion: 0.6,
        },
      },
      token: admin,
    });
    if (model.errors) throw new Error(`createModel: ${JSON.stringify(model.errors)}`);
    const modelId: string = model.data!['createModel'].id;

    const latency = await addedLatency(openai, url, user, modelId);

    const clients = await connectClients(url.replace('http', 'ws'), user, CONCURRENT_STREAMS);
    cleanups.push(() => Promise.all(clients.map((client) => client.dispose())));
    const streams = await streaming(openai, clients, modelId);

    const row = (name: string, r: Stats) =>
      `${name.padEnd(24)} p50 ${ms(r.p50)}   p99 ${ms(r.p99)}`;
    console.log(`\nprovider: fake OpenAI server and provider subgraph in process, 127.0.0.1`);
    console.log(`  non-streamed completions: ${SEQUENTIAL} sequential after ${WARM_UP} warm-up`);
    console.log(`  ${row('fake /chat/completions', latency.direct)}`);
    console.log(`  ${row('through `complete`', latency.subgraph)}`);
    const added = {
      p50: latency.subgraph.p50 - latency.direct.p50,
      p99: latency.subgraph.p99 - latency.direct.p99,
    };
    console.log(`  ${row('added by the subgraph', added)}   (LiteLLM: 2-12 ms p50)`);
    console.log(
      `  streams: ${CONCURRENT_STREAMS} concurrent graphql-ws subscriptions x ${ANSWER_TOKENS} tokens, ` +
        `${streams.waves} waves in ${streams.elapsedS.toFixed(1)} s`,
    );
    console.log(
      `  ${'completions/s'.padEnd(24)} ${streams.perSecond.toFixed(0).padStart(7)}      ` +
        `(${(streams.perSecond * ANSWER_TOKENS).toFixed(0)} tokens/s)`,
    );
    console.log(`  ${row('time to first token', streams.firstToken)}`);
    console.log(`  ${row('total stream time', streams.streamTime)}`);
    console.log(
      `  ${'ended with done'.padEnd(24)} ${streams.ok}/${streams.total}` +
        `   event loop busy ${(streams.busy * 100).toFixed(0)}% while streaming`,
    );
    if (streams.failures.length > 0) {
      const reasons = new Map<string, number>();
      for (const { failure } of streams.failures) {
        reasons.set(failure!, (reasons.get(failure!) ?? 0) + 1);
      }
      console.log(`  ${streams.failures.length} streams failed:`);
      for (const [reason, count] of reasons) console.log(`    ${count} x ${reason}`);
    }
  } finally {
    for (const step of cleanups.splice(0).reverse()) await step().catch(() => undefined);
  }
}
