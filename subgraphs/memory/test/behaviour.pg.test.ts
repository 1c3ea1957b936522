// The memory subgraph's behaviour suites again, on the machine's PostgreSQL with pgvector
// (DATABASE_URL) instead of PGlite: same schema, same migrations, same expectations.
import { POSTGRES_URL_VARIABLE } from './setup.js';

process.env[POSTGRES_URL_VARIABLE] =
  process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

describe('on PostgreSQL: memories', () => {
  require('./memories.test.js');
});
describe('on PostgreSQL: search', () => {
  require('./search.test.js');
});
describe('on PostgreSQL: folds', () => {
  require('./folds.test.js');
});
describe('on PostgreSQL: hierarchy', () => {
  require('./hierarchy.test.js');
});
describe('on PostgreSQL: context and topics', () => {
  require('./context.test.js');
});
