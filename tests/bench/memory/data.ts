// Repeatable data: sentences from word lists, driven by a seeded PRNG.
import { mulberry32 } from '../../../subgraphs/memory/src/text.js';

const WORDS = {
  subject: [
    'the deploy pipeline',
    'our billing service',
    'the mobile app',
    'Ada',
    'the data team',
    'the search index',
    'a customer in Berlin',
    'the on-call engineer',
    'the onboarding flow',
    'the quarterly report',
    'the GPU cluster',
    'Grace',
    'the support queue',
    'the marketing site',
    'the recommendation model',
    'the payments API',
    'Linus',
    'the design system',
    'the nightly backup',
    'the staging database',
  ],
  verb: [
    'failed during',
    'was migrated before',
    'slowed down after',
    'needs a review of',
    'reported a bug in',
    'doubled its traffic since',
    'was rolled back after',
    'asked about',
    'depends on',
    'was rewritten for',
    'timed out while waiting for',
    'improved thanks to',
    'broke because of',
    'is blocked by',
    'celebrated',
  ],
  object: [
    'the release of version',
    'the holiday sale',
    'a schema change',
    'the new pricing page',
    'the vector search rollout',
    'a flaky integration test',
    'the password reset email',
    'a memory leak',
    'the kubernetes upgrade',
    'the annual security audit',
    'a typo in the config',
    'the cache invalidation',
    'the product launch',
    'a spike of signups',
    'the translation update',
    'the latency regression',
  ],
  detail: [
    'and nobody noticed until Monday',
    'so we opened an incident',
    'which cost about two hours',
    'according to the dashboards',
    'while the team was offsite',
    'after the third retry',
    'even though the tests passed',
    'and the customer was happy',
    'so the roadmap changed',
    'before lunch',
    'late on Friday evening',
    'during the demo',
    'in the eu-west region',
    'for the premium plan',
    'with a fix already merged',
    'pending a decision from legal',
  ],
  topic: [
    'postgres',
    'pgvector',
    'latency',
    'budget',
    'hiring',
    'kafka',
    'redis',
    'graphql',
    'embeddings',
    'invoices',
    'churn',
    'accessibility',
    'observability',
    'compliance',
    'caching',
    'sharding',
    'typescript',
    'onboarding',
    'retention',
    'pricing',
  ],
};

const SOURCES = ['chat', 'email', 'meeting', 'ticket', 'note'];

export function textGenerator(seed: number) {
  const random = mulberry32(seed); // seeded: every run loads the same memories
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const sentence = () =>
    `${pick(WORDS.subject)} ${pick(WORDS.verb)} ${pick(WORDS.object)} ${1 + Math.floor(random() * 40)} ${pick(WORDS.detail)}`;
  return {
    random,
    pick,
    text() {
      const sentences = [sentence()];
      if (random() < 0.6) sentences.push(sentence());
      const tags = [pick(WORDS.topic), pick(WORDS.topic)];
      return `${sentences.join('. ')}. Tags: ${tags.join(', ')}.`;
    },
  };
}

export type Generator = ReturnType<typeof textGenerator>;

export function newInput(generator: Generator, folds: string[]) {
  const slot = Math.floor(generator.random() * (folds.length + 1));
  return {
    content: generator.text(),
    metadata: {
      source: generator.pick(SOURCES),
      priority: 1 + Math.floor(generator.random() * 5),
      topic: generator.pick(WORDS.topic),
    },
    ...(slot < folds.length ? { foldId: folds[slot] } : {}),
  };
}
