// `npm run bench [-- name...]`: runs the named benchmarks (all when none is named). They
// measure and print; they never assert on time.
import { auth } from './auth.js';
import { collab } from './collab.js';
import { gateways } from './gateways/index.js';
import { graphiqlLoad } from './graphiql-load.js';
import { memory } from './memory/index.js';
import { overload } from './overload.js';
import { provider } from './provider.js';
import { routerOverhead } from './router-overhead.js';
import { subscriptions } from './subscriptions.js';
import { tools } from './tools.js';

const benchmarks: Record<string, () => Promise<void>> = {
  'router-overhead': routerOverhead,
  auth,
  collab,
  gateways,
  graphiql: graphiqlLoad,
  memory,
  overload,
  provider,
  subscriptions,
  tools,
};

async function main(names: string[]) {
  const chosen = names.length > 0 ? names : Object.keys(benchmarks);
  for (const name of chosen) {
    const run = benchmarks[name];
    if (!run)
      throw new Error(`unknown benchmark ${name}; known: ${Object.keys(benchmarks).join(', ')}`);
    await run();
  }
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: Error) => {
    console.error(error.message);
    process.exit(1);
  },
);
