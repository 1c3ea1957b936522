// The security subgraph's config for tests: every setting at its default (as parsed from an
// empty environment), the kit's test settings (in-memory database, port 0, quiet), and the
// test's own overrides.
import { testSubgraphConfig } from '@supergraph/kit';
import { parseConfig, type SecurityConfig } from '../src/config.js';

export const testSecurityConfig = (
  overrides: Partial<SecurityConfig> = {},
  env: Record<string, string> = {},
): SecurityConfig => ({
  ...parseConfig({ NODE_ENV: 'test', ...env }),
  ...testSubgraphConfig('security'),
  demoUser: undefined,
  ...overrides,
});
