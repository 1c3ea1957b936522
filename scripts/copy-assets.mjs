// Copies what a service reads at run time besides its compiled code (the SDL, drizzle
// migrations, the sandbox's worker thread file) from src/ to dist/, keeping the relative
// layout that __dirname lookups expect.
import { cpSync, existsSync } from 'node:fs';

for (const asset of ['schema.graphql', 'db/migrations', 'sandbox/worker.cjs']) {
  if (existsSync(`src/${asset}`)) cpSync(`src/${asset}`, `dist/${asset}`, { recursive: true });
}
