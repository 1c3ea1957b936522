// One adapter and one guard (breaker, retries, health, rate limit) per provider, made on first
// use from its stored settings and remade when those change.
import type { ProviderRow } from '../db/schema.js';
import { createAdapter } from './adapters/index.js';
import { createProviderGuard, type ProviderGuard } from './resilience/guard.js';
import type { AdapterTimeouts, ProviderAdapter } from './types.js';

export interface ProviderHandle {
  adapter: ProviderAdapter;
  guard: ProviderGuard;
}

export interface RegistrySettings {
  timeouts: AdapterTimeouts;
  breaker: { errorThresholdPercentage: number; volumeThreshold: number; resetTimeoutMs: number };
  retry: { maxRetries: number; baseMs: number; capMs: number };
}

/** Where a provider without a base URL is reached. */
const DEFAULT_BASE_URLS: Record<string, string> = {
  OPENAI_COMPATIBLE: 'https://api.openai.com/v1',
  ANTHROPIC: 'https://api.anthropic.com',
};

const BREAKER_VALUE = { CLOSED: 0, HALF_OPEN: 1, OPEN: 2 } as const;

const fingerprint = (provider: ProviderRow) =>
  JSON.stringify([provider.kind, provider.baseUrl, provider.apiKey, provider.rateLimitPerMinute]);

export function createProviderRegistry(
  settings: RegistrySettings,
  /** Opens a sealed API key. */
  openSecret: (sealed: string) => string,
  /** Sees each provider's breaker state as it changes (0 closed, 1 half-open, 2 open). */
  onBreakerState: (provider: string, value: number) => void = () => {},
) {
  const handles = new Map<string, { fingerprint: string; handle: ProviderHandle }>();
  return {
    handleOf(provider: ProviderRow): ProviderHandle {
      const current = handles.get(provider.id);
      if (current && current.fingerprint === fingerprint(provider)) return current.handle;
      current?.handle.guard.shutdown();
      const baseUrl = provider.baseUrl ?? DEFAULT_BASE_URLS[provider.kind];
      const handle: ProviderHandle = {
        adapter: createAdapter(
          provider.kind,
          baseUrl
            ? {
                baseUrl,
                apiKey: provider.apiKey ? openSecret(provider.apiKey) : undefined,
                timeouts: settings.timeouts,
              }
            : undefined,
        ),
        guard: createProviderGuard({
          name: provider.name,
          breaker: settings.breaker,
          retry: settings.retry,
          ...(provider.rateLimitPerMinute
            ? {
                rateLimit: {
                  capacity: provider.rateLimitPerMinute,
                  refillPerSecond: provider.rateLimitPerMinute / 60,
                },
              }
            : {}),
        }),
      };
      handle.guard.onStateChange((state) =>
        onBreakerState(provider.name, BREAKER_VALUE[state.breaker]),
      );
      onBreakerState(provider.name, BREAKER_VALUE.CLOSED);
      handles.set(provider.id, { fingerprint: fingerprint(provider), handle });
      return handle;
    },
    close() {
      for (const { handle } of handles.values()) handle.guard.shutdown();
      handles.clear();
    },
    /** The guard of a provider if it has been called; undefined means never called (UNKNOWN). */
    guardOf: (providerId: string) => handles.get(providerId)?.handle.guard,
  };
}

export type ProviderRegistry = ReturnType<typeof createProviderRegistry>;
