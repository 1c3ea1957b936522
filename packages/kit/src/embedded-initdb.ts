// Creates a new embedded PostgreSQL data directory in a worker thread. PGlite's initdb leaves
// about 500 MB of WASM memory and buffers behind in the process that ran it, for good: run in
// a worker, that memory goes when the worker exits, and the subgraph then opens the ready
// directory with only what serving needs (a first `npm start` measured 786 MB against 314 MB
// per subgraph).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

/** PGlite (like PostgreSQL) treats a directory with this file as an existing database. */
const VERSION_FILE = 'PG_VERSION';

const INITDB = `
const { workerData } = require('node:worker_threads');
const { PGlite } = require(workerData.pglite);
PGlite.create(workerData.dataDir, { postgresqlconf: workerData.conf }).then((db) => db.close());
`;

/** Runs initdb for `dataDir` in a worker unless it holds a database already. */
export async function initializeDataDir(dataDir: string, conf: string): Promise<void> {
  if (existsSync(join(dataDir, VERSION_FILE))) return;
  const worker = new Worker(INITDB, {
    eval: true,
    workerData: { pglite: require.resolve('@electric-sql/pglite'), dataDir, conf },
  });
  await new Promise<void>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`initdb of ${dataDir} exited with ${code}`)),
    );
  });
}
