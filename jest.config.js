// One jest over all workspaces; TypeScript through SWC. Tests that need a server of the
// machine (`*.pg.test.ts`: PostgreSQL at DATABASE_URL; `*.redis.test.ts`: Redis at
// REDIS_URL) run as their own project: `npm run test:services`.
// openid-client 6 (and its oauth4webapi and jose 6) ship only ES modules, which jest's
// require() on Node 20 cannot load: SWC compiles them to CommonJS like our own files, and
// transformIgnorePatterns lets it reach them (and nothing else in node_modules).
const ESM_ONLY = '/node_modules/(openid-client|oauth4webapi)/';
const transform = {
  '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } } }],
  [`${ESM_ONLY}.+\\.js$`]: [
    '@swc/jest',
    { jsc: { target: 'es2022' }, module: { type: 'commonjs' } },
  ],
};
const common = {
  transform,
  transformIgnorePatterns: [`^(?!.*${ESM_ONLY}).*/node_modules/`],
  testEnvironment: 'node',
  testEnvironmentOptions: { customExportConditions: ['source', 'node', 'require', 'default'] },
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    // eventsource-parser (under @modelcontextprotocol/sdk) also answers the `source` condition
    // above, with TypeScript that jest does not transform in node_modules: take its CJS build.
    '^eventsource-parser$': '<rootDir>/node_modules/eventsource-parser/dist/index.cjs',
    '^eventsource-parser/stream$': '<rootDir>/node_modules/eventsource-parser/dist/stream.cjs',
  },
};
const roots = [
  '<rootDir>/packages',
  '<rootDir>/subgraphs',
  '<rootDir>/router',
  '<rootDir>/tests',
  '<rootDir>/examples',
];

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      ...common,
      displayName: 'unit-e2e',
      roots,
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '\\.(pg|redis)\\.test\\.ts$', '/tests/bench/'],
    },
    {
      ...common,
      displayName: 'services',
      roots,
      testMatch: ['**/*.pg.test.ts', '**/*.redis.test.ts'],
      testPathIgnorePatterns: ['/node_modules/'],
    },
  ],
  // A hang guard, not a speed assertion: an in-process supergraph takes about 10 s to start
  // on an idle machine, and CI machines are slower.
  testTimeout: 60_000,
  // Each test file that starts a supergraph leaves tens of MB of heap behind in the process
  // that runs it (module registries held by globals), and on two cores jest runs every file
  // in one process: by the last files the collector thrashes and start-ups outrun their
  // guards. Past this much memory, the worker running the files is replaced by a fresh one.
  workerIdleMemoryLimit: '1GB',
};
