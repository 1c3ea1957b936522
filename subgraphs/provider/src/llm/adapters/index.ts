// Picks the adapter for a provider's kind: the one place that knows all the wire protocols.
import type { AdapterConfig, ProviderAdapter } from '../types.js';
import { createAnthropicAdapter } from './anthropic.js';
import { createOfflineEchoAdapter } from './offline-echo.js';
import { createOpenAiAdapter } from './openai.js';

export type AdapterKind = 'OPENAI_COMPATIBLE' | 'ANTHROPIC' | 'OFFLINE_ECHO';

export function createAdapter(
  kind: AdapterKind,
  config: AdapterConfig | undefined,
): ProviderAdapter {
  if (kind === 'OFFLINE_ECHO') return createOfflineEchoAdapter();
  if (!config) throw new Error(`a ${kind} provider needs a base URL and timeouts`);
  switch (kind) {
    case 'OPENAI_COMPATIBLE':
      return createOpenAiAdapter(config);
    case 'ANTHROPIC':
      return createAnthropicAdapter(config);
  }
}
