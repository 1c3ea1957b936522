// ContextSentence: a sentence of a compressed context and where it came from.
import type { ContextSentenceResolvers } from '../generated/resolvers-types.js';

export const ContextSentence: ContextSentenceResolvers = {
  memory: (sentence, _args, context) =>
    sentence.memoryId ? context.memoriesById.load(sentence.memoryId) : null,
};
