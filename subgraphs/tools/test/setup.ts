// The tools subgraph in process for tests: its defaults, the kit's test settings (embedded
// database, port 0), and overrides of the queue and limits.
import { testSubgraphConfig } from '@supergraph/kit';
import { envSchema, toToolsConfig, type ToolsConfig } from '../src/config.js';

export interface ToolsOverrides extends Partial<Omit<ToolsConfig, 'queue' | 'toolLimits'>> {
  queue?: Partial<ToolsConfig['queue']>;
  toolLimits?: Partial<ToolsConfig['toolLimits']>;
}

export function testToolsConfig(overrides: ToolsOverrides = {}): ToolsConfig {
  const defaults = { ...toToolsConfig(envSchema.parse({})), ...testSubgraphConfig('tools') };
  const { queue, toolLimits, ...rest } = overrides;
  return {
    ...defaults,
    // Idle workers look for work often, so that tests never wait long for a lost wake-up.
    queue: { ...defaults.queue, pollMs: 200, ...queue },
    toolLimits: { ...defaults.toolLimits, ...toolLimits },
    ...rest,
  };
}

/** An input schema of an object with the given properties, all required. */
export const objectSchema = (properties: Record<string, unknown> = {}) => ({
  type: 'object',
  properties,
  required: Object.keys(properties),
});
