// Validation of completion inputs, before any provider is called.
import { badInput } from '@supergraph/kit';
import type { CompletionInput as CompletionInputArgs } from './generated/resolvers-types.js';
import type { CompletionInput } from './completions.js';

const MAX_MESSAGES = 500;
const MAX_MESSAGE_LENGTH = 1_000_000;
const MAX_TOKENS = 100_000;

export function completionInput(input: CompletionInputArgs): CompletionInput {
  if (input.messages.length === 0 || input.messages.length > MAX_MESSAGES) {
    throw badInput(`input.messages must hold 1 to ${MAX_MESSAGES} messages.`, 'input.messages');
  }
  input.messages.forEach((message, i) => {
    if (message.content.length > MAX_MESSAGE_LENGTH) {
      throw badInput(
        `input.messages.${i}.content must be at most ${MAX_MESSAGE_LENGTH} characters.`,
        `input.messages.${i}.content`,
      );
    }
  });
  if (!input.messages.some((message) => message.role === 'USER' && message.content.trim() !== '')) {
    throw badInput('input.messages must hold a non-blank USER message.', 'input.messages');
  }
  if (input.maxTokens != null && (input.maxTokens < 1 || input.maxTokens > MAX_TOKENS)) {
    throw badInput(`input.maxTokens must be 1 to ${MAX_TOKENS}.`, 'input.maxTokens');
  }
  if (input.temperature != null && !(input.temperature >= 0 && input.temperature <= 2)) {
    throw badInput('input.temperature must be 0 to 2.', 'input.temperature');
  }
  if (input.fallbackModelIds?.length && !input.modelId) {
    throw badInput('input.fallbackModelIds needs input.modelId.', 'input.fallbackModelIds');
  }
  const requirements = input.requirements ?? undefined;
  for (const key of [
    'minContextWindow',
    'maxInputPricePerMillion',
    'maxOutputPricePerMillion',
  ] as const) {
    const value = requirements?.[key];
    if (value != null && !(value >= 0))
      throw badInput(`input.requirements.${key} must be 0 or more.`, `input.requirements.${key}`);
  }
  return {
    messages: input.messages.map((message) => ({
      role: message.role.toLowerCase() as 'system' | 'user' | 'assistant',
      content: message.content,
    })),
    modelId: input.modelId,
    fallbackModelIds: input.fallbackModelIds,
    requirements: requirements && {
      ...(requirements.capabilities ? { capabilities: requirements.capabilities } : {}),
      ...(requirements.minContextWindow != null
        ? { minContextWindow: requirements.minContextWindow }
        : {}),
      ...(requirements.maxInputPricePerMillion != null
        ? { maxInputPricePerMillion: requirements.maxInputPricePerMillion }
        : {}),
      ...(requirements.maxOutputPricePerMillion != null
        ? { maxOutputPricePerMillion: requirements.maxOutputPricePerMillion }
        : {}),
    },
    strategy: input.strategy ?? 'ROUND_ROBIN',
    maxTokens: input.maxTokens,
    temperature: input.temperature,
  };
}
