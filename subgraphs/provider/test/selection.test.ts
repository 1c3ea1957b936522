import { costOf, selectModels, type Candidate } from '../src/llm/selection.js';

const candidate = (over: Partial<Candidate> & Pick<Candidate, 'modelId' | 'providerName'>) => ({
  providerId: `p-${over.providerName}`,
  enabled: true,
  healthy: true,
  weight: 1,
  capabilities: ['CHAT'],
  contextWindow: 128_000,
  inputPricePerMillion: 1,
  outputPricePerMillion: 2,
  inFlight: 0,
  ...over,
});

// Listed out of order on purpose: ties fall back to providerName, then modelId.
const alpha = candidate({
  providerName: 'alpha',
  modelId: 'a-large',
  weight: 1,
  inputPricePerMillion: 3,
  outputPricePerMillion: 15,
  inFlight: 4,
  p50LatencyMs: 900,
  capabilities: ['CHAT', 'VISION'],
  contextWindow: 200_000,
});
const beta = candidate({
  providerName: 'beta',
  modelId: 'b-mini',
  weight: 3,
  inputPricePerMillion: 0.15,
  outputPricePerMillion: 0.6,
  inFlight: 1,
  p50LatencyMs: 300,
});
const gamma = candidate({
  providerName: 'gamma',
  modelId: 'g-medium',
  weight: 0,
  inputPricePerMillion: 1,
  outputPricePerMillion: 4,
  inFlight: 1,
});
const delta = candidate({ providerName: 'delta', modelId: 'd', enabled: false });
const epsilon = candidate({ providerName: 'epsilon', modelId: 'e', healthy: false });
const all = [gamma, epsilon, beta, delta, alpha];

const state = (counter = 0, random = 0) => ({
  roundRobinCounter: () => counter,
  random: () => random,
});
const ids = (list: Candidate[]) => list.map((c) => c.modelId);

describe('selectModels', () => {
  it('orders by cost (input + output price per million)', () => {
    expect(ids(selectModels(all, {}, 'LOWEST_COST', state()))).toEqual([
      'b-mini',
      'g-medium',
      'a-large',
    ]);
  });

  it('orders by p50 latency, unknown latency last', () => {
    expect(ids(selectModels(all, {}, 'LOWEST_LATENCY', state()))).toEqual([
      'b-mini',
      'a-large',
      'g-medium',
    ]);
  });

  it('orders by load, ties by provider name', () => {
    expect(ids(selectModels(all, {}, 'LEAST_LOADED', state()))).toEqual([
      'b-mini',
      'g-medium',
      'a-large',
    ]);
  });

  it('rotates the name-ordered list by the round-robin counter', () => {
    const rr = (counter: number) => ids(selectModels(all, {}, 'ROUND_ROBIN', state(counter)));
    expect(rr(0)).toEqual(['a-large', 'b-mini', 'g-medium']);
    expect(rr(1)).toEqual(['b-mini', 'g-medium', 'a-large']);
    expect(rr(5)).toEqual(['g-medium', 'a-large', 'b-mini']);
    expect(rr(-1)).toEqual(['g-medium', 'a-large', 'b-mini']);
  });

  it('picks uniformly at random, the rest in name order', () => {
    const random = (r: number) => ids(selectModels(all, {}, 'RANDOM', state(0, r)))[0];
    expect([0, 0.34, 0.67, 0.999_999].map(random)).toEqual([
      'a-large',
      'b-mini',
      'g-medium',
      'g-medium',
    ]);
    expect(ids(selectModels(all, {}, 'RANDOM', state(0, 0.5)))).toEqual([
      'b-mini',
      'a-large',
      'g-medium',
    ]);
  });

  it('picks in proportion to weight, never weight 0 first, the rest by weight', () => {
    // weights in name order: alpha 1, beta 3, gamma 0 → alpha for r < 0.25, else beta.
    const first = (r: number) => ids(selectModels(all, {}, 'WEIGHTED_RANDOM', state(0, r)))[0];
    expect([0, 0.24, 0.25, 0.999_999].map(first)).toEqual([
      'a-large',
      'a-large',
      'b-mini',
      'b-mini',
    ]);
    expect(ids(selectModels(all, {}, 'WEIGHTED_RANDOM', state(0, 0)))).toEqual([
      'a-large',
      'b-mini',
      'g-medium',
    ]);
    expect(ids(selectModels([gamma], {}, 'WEIGHTED_RANDOM', state(0, 0.9)))).toEqual(['g-medium']);
  });

  it('skips disabled and unhealthy candidates, and may return none', () => {
    const chosen = selectModels(all, {}, 'LOWEST_COST', state());
    expect(chosen).not.toContain(delta);
    expect(chosen).not.toContain(epsilon);
    expect(selectModels([delta, epsilon], {}, 'ROUND_ROBIN', state())).toEqual([]);
  });

  it('filters by capabilities, context window and prices', () => {
    const select = (requirements: Parameters<typeof selectModels>[1]) =>
      ids(selectModels(all, requirements, 'LOWEST_COST', state()));
    expect(select({ capabilities: ['CHAT', 'VISION'] })).toEqual(['a-large']);
    expect(select({ capabilities: ['EMBEDDINGS'] })).toEqual([]);
    expect(select({ minContextWindow: 150_000 })).toEqual(['a-large']);
    expect(select({ maxInputPricePerMillion: 1 })).toEqual(['b-mini', 'g-medium']);
    expect(select({ maxOutputPricePerMillion: 1 })).toEqual(['b-mini']);
  });

  it('breaks ties by provider name, then model id, whatever the input order', () => {
    const twin = (providerName: string, modelId: string) =>
      candidate({ providerName, modelId, inputPricePerMillion: 1, outputPricePerMillion: 1 });
    const list = [twin('b', 'm2'), twin('b', 'm1'), twin('a', 'z')];
    for (const strategy of ['LOWEST_COST', 'LOWEST_LATENCY', 'LEAST_LOADED'] as const) {
      expect(ids(selectModels(list, {}, strategy, state()))).toEqual(['z', 'm1', 'm2']);
      expect(ids(selectModels([...list].reverse(), {}, strategy, state()))).toEqual([
        'z',
        'm1',
        'm2',
      ]);
    }
  });

  it('does not change the candidates it is given', () => {
    const copy = [...all];
    selectModels(all, {}, 'WEIGHTED_RANDOM', state(0, 0.5));
    expect(all).toEqual(copy);
  });
});

describe('costOf', () => {
  it('prices prompt and completion tokens per million', () => {
    const sonnet = { inputPricePerMillion: 3, outputPricePerMillion: 15 };
    expect(costOf({ promptTokens: 1_000, completionTokens: 500 }, sonnet)).toBe(0.0105);
    expect(costOf({ promptTokens: 0, completionTokens: 0 }, sonnet)).toBe(0);
  });

  it('rounds to the nano-dollar', () => {
    const prices = { inputPricePerMillion: 0.15, outputPricePerMillion: 0.6 };
    // 7 × 0.15 / 1e6 = 1.05e-6 exactly; 1 × 0.0001 / 1e6 = 1e-10 rounds away.
    expect(costOf({ promptTokens: 7, completionTokens: 0 }, prices)).toBe(0.00000105);
    expect(
      costOf(
        { promptTokens: 1, completionTokens: 0 },
        { inputPricePerMillion: 0.0001, outputPricePerMillion: 0 },
      ),
    ).toBe(0);
    expect(
      costOf(
        { promptTokens: 3, completionTokens: 0 },
        { inputPricePerMillion: 0.0002, outputPricePerMillion: 0 },
      ),
    ).toBe(0.000000001); // 6e-10 rounds up to 1e-9
  });
});
