// Provider: an entity other subgraphs reference by id. The schema has no field for the API key
// itself, so it cannot be selected: clients learn only whether one is stored.
import type { ProviderResolvers } from '../generated/resolvers-types.js';

export const Provider: ProviderResolvers = {
  __resolveReference: ({ id }, { providers }) => providers.load(id),
  hasApiKey: (provider) => provider.apiKey !== null && provider.apiKey !== '',
  models: (provider, _args, { modelsOf }) => modelsOf.load(provider.id),
  health: (provider, _args, { registry }) => {
    const state = registry.guardOf(provider.id)?.state();
    if (!state) {
      return {
        state: 'UNKNOWN',
        breaker: 'CLOSED',
        successRate: null,
        p50LatencyMs: null,
        p95LatencyMs: null,
        uptimePercent: null,
        consecutiveFailures: 0,
        inFlight: 0,
        lastError: null,
      };
    }
    const { health } = state;
    return {
      state: health.state,
      breaker: state.breaker,
      successRate: health.calls > 0 ? health.successRate : null,
      p50LatencyMs: health.p50LatencyMs ?? null,
      p95LatencyMs: health.p95LatencyMs ?? null,
      uptimePercent: health.calls > 0 ? health.uptimePercent : null,
      consecutiveFailures: health.consecutiveFailures,
      inFlight: state.inFlight,
      lastError: health.lastError ?? null,
    };
  },
};
