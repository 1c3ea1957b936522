// Completions with failover: the candidates come from the explicit model and its fallback
// chain, or from the selection strategy; each is tried through its provider's guard (breaker,
// retries, rate limit) until one answers. A stream that has sent tokens is never restarted
// elsewhere: it ends with a coded error. Every completion, whatever its outcome, is recorded.
import { randomUUID } from 'node:crypto';
import { codedError, notFound } from '@supergraph/kit';
import type { ModelRow, ProviderRow } from './db/schema.js';
import { budgetOf, spentThisMonth } from './db/usage.js';
import type { ProviderContext } from './context.js';
import { CircuitOpenError } from './llm/resilience/guard.js';
import { costOf, selectModels, type Candidate } from './llm/selection.js';
import { ProviderCallError, type ChatMessage, type FinishReason, type Usage } from './llm/types.js';

export type Strategy = Parameters<typeof selectModels>[2];

export interface CompletionInput {
  messages: ChatMessage[];
  modelId?: string | null;
  fallbackModelIds?: string[] | null;
  requirements?: Parameters<typeof selectModels>[1] | null;
  strategy: Strategy;
  maxTokens?: number | null;
  temperature?: number | null;
}

export interface Attempt {
  modelId: string;
  code: string;
  message: string;
}

interface Target {
  model: ModelRow;
  provider: ProviderRow;
}

export interface CompletionResult {
  id: string;
  text: string;
  model: ModelRow;
  provider: ProviderRow;
  usage: Usage;
  costUsd: number;
  latencyMs: number;
  finishReason: FinishReason;
  fallbacksTried: Attempt[];
}

export type CompletionChunk =
  | { completionId: string; index: number; delta: string; done: false }
  | (Omit<CompletionResult, 'text' | 'id'> & {
      completionId: string;
      index: number;
      delta: '';
      done: true;
    });

async function checkBudget(context: ProviderContext, userId: string) {
  const limit = await budgetOf(context.db, userId);
  if (limit === undefined) return;
  const spent = await spentThisMonth(context.db, userId);
  if (spent >= limit) {
    throw codedError(
      'BUDGET_EXCEEDED',
      `This month's budget of $${limit} is used up ($${spent.toFixed(6)} spent).`,
      {
        extensions: { limitUsd: limit, spentUsd: spent },
      },
    );
  }
}

/** The ordered targets: explicit model and chain, or the strategy's order of eligible models. */
export async function targetsFor(
  context: ProviderContext,
  input: CompletionInput,
): Promise<Target[]> {
  const pairs = await context.catalogue();
  const byModel = new Map(pairs.map((pair) => [pair.model.id, pair]));
  let targets: Target[];
  if (input.modelId) {
    const ids = [input.modelId, ...(input.fallbackModelIds ?? [])];
    targets = ids.map((id, i) => {
      const pair = byModel.get(id);
      if (!pair) {
        throw notFound('Model', id, i === 0 ? 'input.modelId' : `input.fallbackModelIds.${i - 1}`);
      }
      return pair;
    });
    targets = targets.filter((target) => target.provider.enabled);
  } else {
    const candidates: Candidate[] = pairs.map(({ model, provider }) => {
      const state = context.registry.guardOf(provider.id)?.state();
      return {
        modelId: model.id,
        providerId: provider.id,
        providerName: provider.name,
        enabled: provider.enabled,
        healthy: !state || (state.breaker !== 'OPEN' && state.health.state !== 'UNHEALTHY'),
        weight: provider.weight,
        capabilities: model.capabilities,
        contextWindow: model.contextWindow,
        inputPricePerMillion: model.inputPricePerMillion,
        outputPricePerMillion: model.outputPricePerMillion,
        inFlight: state?.inFlight ?? 0,
        p50LatencyMs: state?.health.p50LatencyMs,
      };
    });
    const ordered = selectModels(
      candidates,
      { capabilities: ['CHAT'], ...input.requirements },
      input.strategy,
      context.selectionState,
    );
    targets = ordered.map((candidate) => byModel.get(candidate.modelId)!);
  }
  if (targets.length === 0) {
    throw codedError(
      'NO_ELIGIBLE_PROVIDER',
      'No enabled, healthy provider offers a model that meets the requirements.',
    );
  }
  return targets;
}

function attemptOf(target: Target, error: unknown): Attempt {
  const code =
    error instanceof CircuitOpenError
      ? 'CIRCUIT_OPEN'
      : error instanceof ProviderCallError
        ? error.kind.toUpperCase().replace('-', '_')
        : 'INTERNAL';
  return { modelId: target.model.id, code, message: (error as Error).message };
}

const isFatal = (error: unknown) =>
  error instanceof ProviderCallError && (error.kind === 'client' || error.kind === 'cancelled');

const requestFor = (target: Target, input: CompletionInput, signal?: AbortSignal) => ({
  model: target.model.name,
  messages: input.messages,
  maxTokens: input.maxTokens ?? undefined,
  temperature: input.temperature ?? undefined,
  signal,
});

const allFailed = (attempts: Attempt[]) =>
  codedError('UPSTREAM_UNAVAILABLE', `Every eligible model failed (${attempts.length} tried).`, {
    extensions: { fallbacksTried: attempts },
  });

function fatalError(target: Target, error: ProviderCallError, attempts: Attempt[]) {
  if (error.kind === 'cancelled')
    return codedError('UPSTREAM_ERROR', 'The completion was cancelled.');
  return codedError(
    'UPSTREAM_ERROR',
    `${target.provider.name} refused the request: ${error.message}`,
    {
      extensions: {
        provider: target.provider.name,
        status: error.details.status,
        fallbacksTried: attempts,
      },
    },
  );
}

export async function complete(
  context: ProviderContext,
  userId: string,
  input: CompletionInput,
  signal?: AbortSignal,
): Promise<CompletionResult> {
  await checkBudget(context, userId);
  const targets = await targetsFor(context, input);
  const attempts: Attempt[] = [];
  for (const target of targets) {
    const { adapter, guard } = context.registry.handleOf(target.provider);
    const started = performance.now();
    try {
      const answer = await guard.call(
        () => adapter.complete(requestFor(target, input, signal)),
        signal,
      );
      const latencyMs = Math.round(performance.now() - started);
      const costUsd = costOf(answer.usage, target.model);
      await context.record({
        userId,
        providerId: target.provider.id,
        modelId: target.model.id,
        ...answer.usage,
        costUsd,
        latencyMs,
        status: 'OK',
        streamed: false,
      });
      return {
        id: randomUUID(),
        text: answer.text,
        ...target,
        usage: answer.usage,
        costUsd,
        latencyMs,
        finishReason: answer.finishReason,
        fallbacksTried: attempts,
      };
    } catch (error) {
      const latencyMs = Math.round(performance.now() - started);
      const cancelled = error instanceof ProviderCallError && error.kind === 'cancelled';
      await context.record({
        userId,
        providerId: target.provider.id,
        modelId: target.model.id,
        promptTokens: 0,
        completionTokens: 0,
        costUsd: 0,
        latencyMs,
        status: cancelled ? 'CANCELLED' : 'ERROR',
        streamed: false,
      });
      if (isFatal(error)) throw fatalError(target, error as ProviderCallError, attempts);
      attempts.push(attemptOf(target, error));
    }
  }
  throw allFailed(attempts);
}

/** Streams one completion. Unsubscribing (return()) aborts the upstream request at once,
 * even while the stream waits for the provider's next token. */
export function completeStream(
  context: ProviderContext,
  userId: string,
  input: CompletionInput,
): AsyncIterableIterator<CompletionChunk> {
  const abort = new AbortController();
  const chunks = streamChunks(context, userId, input, abort);
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    next: () => chunks.next(),
    return: (value?: unknown) => {
      abort.abort();
      return chunks.return(value as undefined);
    },
    throw: (error?: unknown) => {
      abort.abort();
      return chunks.throw(error);
    },
  };
}

async function* streamChunks(
  context: ProviderContext,
  userId: string,
  input: CompletionInput,
  abort: AbortController,
): AsyncGenerator<CompletionChunk> {
  await checkBudget(context, userId);
  const targets = await targetsFor(context, input);
  const attempts: Attempt[] = [];
  const completionId = randomUUID();
  let index = 0;
  /** The target being streamed and what it sent, until its outcome is recorded. */
  let open: { target: Target; started: number; chars: number } | undefined;
  const close = async (status: 'OK' | 'ERROR' | 'CANCELLED', usage?: Usage) => {
    const { target, started, chars } = open!;
    open = undefined;
    const counted = usage ?? { promptTokens: 0, completionTokens: Math.ceil(chars / 4) };
    const costUsd = costOf(counted, target.model);
    await context.record({
      userId,
      providerId: target.provider.id,
      modelId: target.model.id,
      ...counted,
      costUsd,
      latencyMs: Math.round(performance.now() - started),
      status,
      streamed: true,
    });
    return costUsd;
  };
  try {
    for (const target of targets) {
      const { adapter, guard } = context.registry.handleOf(target.provider);
      open = { target, started: performance.now(), chars: 0 };
      try {
        const events = guard.stream(
          () => adapter.stream(requestFor(target, input, abort.signal)),
          abort.signal,
        );
        for await (const event of events) {
          if (event.type === 'delta') {
            open.chars += event.text.length;
            yield { completionId, index: index++, delta: event.text, done: false };
            continue;
          }
          const latencyMs = Math.round(performance.now() - open.started);
          const costUsd = await close('OK', event.usage);
          yield {
            completionId,
            index: index++,
            delta: '',
            done: true,
            ...target,
            usage: event.usage,
            costUsd,
            latencyMs,
            finishReason: event.finishReason,
            fallbacksTried: attempts,
          };
          return;
        }
      } catch (error) {
        const cancelled =
          abort.signal.aborted ||
          (error instanceof ProviderCallError && error.kind === 'cancelled');
        await close(cancelled ? 'CANCELLED' : 'ERROR');
        if (cancelled) return;
        if (index > 0) {
          // Tokens already reached the client: restarting elsewhere would repeat or contradict them.
          throw codedError(
            'UPSTREAM_UNAVAILABLE',
            `The stream from ${target.provider.name} broke after ${index} chunks; it was not restarted elsewhere.`,
            {
              extensions: {
                provider: target.provider.name,
                chunksSent: index,
                reason: (error as Error).message,
              },
            },
          );
        }
        if (isFatal(error)) throw fatalError(target, error as ProviderCallError, attempts);
        attempts.push(attemptOf(target, error));
      }
    }
    throw allFailed(attempts);
  } finally {
    // Reached by return() when the subscriber leaves mid-stream: abort upstream and say so.
    abort.abort();
    if (open) await close('CANCELLED');
  }
}
