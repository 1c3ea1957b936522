// Completion, CompletionChunk and FallbackAttempt: what a completion reports about itself.
import type {
  CompletionChunkResolvers,
  CompletionEventResolvers,
  CompletionResolvers,
  FallbackAttemptResolvers,
} from '../generated/resolvers-types.js';
import type { Usage } from '../llm/types.js';

const tokenUsage = (usage: Usage) => ({
  ...usage,
  totalTokens: usage.promptTokens + usage.completionTokens,
});

export const Completion: CompletionResolvers = {
  usage: (completion) => tokenUsage(completion.usage),
  cost: (completion) => completion.costUsd,
};

export const CompletionChunk: CompletionChunkResolvers = {
  usage: (chunk) => (chunk.done ? tokenUsage(chunk.usage) : null),
  cost: (chunk) => (chunk.done ? chunk.costUsd : null),
  finishReason: (chunk) => (chunk.done ? chunk.finishReason : null),
  model: (chunk) => (chunk.done ? chunk.model : null),
  provider: (chunk) => (chunk.done ? chunk.provider : null),
  latencyMs: (chunk) => (chunk.done ? chunk.latencyMs : null),
  fallbacksTried: (chunk) => (chunk.done ? chunk.fallbacksTried : null),
};

export const CompletionEvent: CompletionEventResolvers = {
  model: (event, _args, { models }) => (event.modelId ? models.load(event.modelId) : null),
  provider: (event, _args, { providers }) =>
    event.providerId ? providers.load(event.providerId) : null,
  usage: (event) => tokenUsage(event),
  cost: (event) => event.costUsd,
  endedAt: (event) => event.createdAt ?? new Date(),
  user: (event) => ({ __typename: 'User', id: event.userId }),
};

export const FallbackAttempt: FallbackAttemptResolvers = {
  model: (attempt, _args, { models }) => models.load(attempt.modelId),
};
