// Model selection, pure: filters the candidates a request can use and orders them by the
// routing strategy. The first is the one to call; the rest are the failover order.

export type SelectionStrategy =
  'ROUND_ROBIN' | 'RANDOM' | 'LEAST_LOADED' | 'WEIGHTED_RANDOM' | 'LOWEST_COST' | 'LOWEST_LATENCY';

export interface Candidate {
  modelId: string;
  providerId: string;
  providerName: string;
  enabled: boolean;
  /** Breaker not open and health not UNHEALTHY. */
  healthy: boolean;
  weight: number;
  capabilities: string[];
  contextWindow: number;
  inputPricePerMillion: number;
  outputPricePerMillion: number;
  inFlight: number;
  p50LatencyMs?: number;
}

export interface Requirements {
  capabilities?: string[];
  minContextWindow?: number;
  maxInputPricePerMillion?: number;
  maxOutputPricePerMillion?: number;
}

export interface SelectionState {
  /** A counter that moves on at each selection. */
  roundRobinCounter: () => number;
  /** [0, 1), like Math.random. */
  random: () => number;
}

type Compare = (a: Candidate, b: Candidate) => number;

/** The deterministic tie-break: provider name, then model id. */
const byName: Compare = (a, b) =>
  a.providerName.localeCompare(b.providerName, 'en') || a.modelId.localeCompare(b.modelId, 'en');

const thenByName =
  (key: (c: Candidate) => number): Compare =>
  (a, b) =>
    key(a) - key(b) || byName(a, b);

const totalPrice = (c: Candidate) => c.inputPricePerMillion + c.outputPricePerMillion;

export function isEligible(candidate: Candidate, requirements: Requirements): boolean {
  const {
    capabilities = [],
    minContextWindow,
    maxInputPricePerMillion,
    maxOutputPricePerMillion,
  } = requirements;
  return (
    candidate.enabled &&
    candidate.healthy &&
    capabilities.every((cap) => candidate.capabilities.includes(cap)) &&
    (minContextWindow === undefined || candidate.contextWindow >= minContextWindow) &&
    (maxInputPricePerMillion === undefined ||
      candidate.inputPricePerMillion <= maxInputPricePerMillion) &&
    (maxOutputPricePerMillion === undefined ||
      candidate.outputPricePerMillion <= maxOutputPricePerMillion)
  );
}

/** Index in [0, length) from a number in [0, 1), safe against a random() that returns 1. */
const pick = (random: number, length: number) =>
  Math.min(length - 1, Math.max(0, Math.floor(random * length)));

function weightedFirst(sorted: Candidate[], random: number): number {
  const weights = sorted.map((c) => Math.max(0, c.weight));
  const total = weights.reduce((sum, w) => sum + w, 0);
  if (total <= 0) return 0;
  let threshold = random * total;
  for (const [i, w] of weights.entries()) {
    if (w > 0 && threshold < w) return i;
    threshold -= w;
  }
  // random() close to 1 with rounding: the last candidate that has any weight.
  return weights.findLastIndex((w) => w > 0);
}

export function selectModels(
  candidates: readonly Candidate[],
  requirements: Requirements,
  strategy: SelectionStrategy,
  state: SelectionState,
): Candidate[] {
  const eligible = candidates.filter((c) => isEligible(c, requirements)).sort(byName);
  if (eligible.length === 0) return [];

  switch (strategy) {
    case 'ROUND_ROBIN': {
      const n = eligible.length;
      const start = ((Math.trunc(state.roundRobinCounter()) % n) + n) % n;
      return [...eligible.slice(start), ...eligible.slice(0, start)];
    }
    case 'RANDOM': {
      const [first] = eligible.splice(pick(state.random(), eligible.length), 1);
      return [first!, ...eligible];
    }
    case 'WEIGHTED_RANDOM': {
      const [first] = eligible.splice(weightedFirst(eligible, state.random()), 1);
      return [first!, ...eligible.sort((a, b) => b.weight - a.weight || byName(a, b))];
    }
    case 'LEAST_LOADED':
      return eligible.sort(thenByName((c) => c.inFlight));
    case 'LOWEST_COST':
      return eligible.sort(thenByName(totalPrice));
    case 'LOWEST_LATENCY':
      return eligible.sort(thenByName((c) => c.p50LatencyMs ?? Infinity));
  }
}

const TOKENS_PER_PRICE_UNIT = 1_000_000;
/** Costs are kept to the nano-dollar: enough for a single token of any model, and it drops
 *  floating-point noise (0.003 + 0.0075 = 0.010499999999999999) before it reaches a sum. */
const COST_PRECISION = 1e9;

/** The price of a call in USD, rounded half up to 1e-9 USD. */
export function costOf(
  usage: { promptTokens: number; completionTokens: number },
  prices: { inputPricePerMillion: number; outputPricePerMillion: number },
): number {
  const usd =
    (usage.promptTokens * prices.inputPricePerMillion +
      usage.completionTokens * prices.outputPricePerMillion) /
    TOKENS_PER_PRICE_UNIT;
  return Math.round(usd * COST_PRECISION) / COST_PRECISION;
}
