// The provider subgraph's settings for tests: in-memory database, quiet logs, overridable.
import { parseConfig, type ProviderConfig } from '../src/config.js';

export const testConfig = (env: Record<string, string> = {}): ProviderConfig =>
  parseConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: 'memory://', ...env });
