// Collaborative documents through the router. The router and the ui subgraph each run in a
// process of their own, so that each one's CPU is its own (process_cpu_seconds_total from its
// /metrics between two readings); the other subgraphs (security for sign-up and JWKS) run in
// this process with the typists, whose CPU is printed too, and on PostgreSQL the CPU of the
// database's backends is read from /proc. Prints, per level: edits offered and acknowledged
// per second, updates stored per second (the server's seq), p50/p99 from an edit to its
// arrival in every other client's doc, to its acknowledgement, and of the mutation's round
// trip; the ui's own time per applyDocumentUpdates; CPU; and whether every client (and the
// server) converged. A crash of the ui subgraph is printed and the next level gets a new one.
// Then the load time of a document of LOG_UPDATES updates on a cold ui process, before and
// after a snapshot. Embedded database (PGlite, as `npm start`); with DATABASE_URL also
// PostgreSQL (a fresh database). COLLAB_CPU_PROFILE_DIR=<dir> runs only the 10-client level
// and leaves V8 CPU profiles of the router and ui there. Measures and prints; never asserts
// on time. Bounded: about 3 minutes per database.
import { cpus, loadavg } from 'node:os';
import { graphql, createTestDatabase, waitFor } from '@supergraph/kit/testing';
import { freePort, startChildService, type ChildService } from '../child-service.js';
import { createDocument } from '../collab.js';
import { seededRandom } from '../collab-peers.js';
import { signUp, startSupergraph, temporaryDataDir } from '../harness.js';
import {
  LOG_UPDATES,
  LOG_WRITERS,
  snapshot,
  timeColdSync,
  writeLongLog,
  type LoadTiming,
} from './collab-load.js';
import { Tally, Typist } from './collab-typing.js';
import { UNTHROTTLED } from './request.js';
import { backendsCpu, between, mark } from './collab-figures.js';
import { startRouterProcess, type RouterProcess } from './router-process.js';
import { ascending, percentile } from './stats.js';

/** Each client types one character every EDIT_INTERVAL_MS (a fast typist's 10 keys/s). */
const EDIT_INTERVAL_MS = 100;
const WARM_UP_MS = 2_000;
const LEVEL_MS = 10_000;
const ONE_DOCUMENT_LEVELS = [2, 10, 50];
/** The level whose p99 has a goal (< 50 ms), the one COLLAB_CPU_PROFILE_DIR profiles. */
const PROFILED_LEVEL = 10;
const MANY_DOCUMENTS = 100;
const CLIENTS_PER_DOCUMENT = 5;
/** Providers connecting at once while setting a level up. */
const CONNECT_BATCH = 25;
const CONNECT_TIMEOUT_MS = 60_000;
const CONVERGE_TIMEOUT_MS = 60_000;
const SIGN_UP_BATCH = 5;
/** Long enough for the whole run (the default 15 min could lapse on a slow machine). */
const TOKEN_TTL_SECONDS = '7200';
/** No automatic snapshot while the long log is written. */
const NO_SNAPSHOTS = {
  DOCUMENT_SNAPSHOT_EVERY: '100000000',
  DOCUMENT_SNAPSHOT_INTERVAL_MS: '86400000',
};
const SEED = 20261203;

interface User {
  token: string;
  userId: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function inBatches<T, R>(items: T[], size: number, run: (item: T) => Promise<R>) {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += size) {
    results.push(...(await Promise.all(items.slice(i, i + size).map(run))));
  }
  return results;
}

/** A new document of users[0], shared as EDITOR with the others. */
async function sharedDocument(url: string, users: User[]) {
  const [owner, ...others] = users;
  const documentId = await createDocument(url, owner!.token);
  await inBatches(others, 10, async (other) => {
    const shared = await graphql(url, {
      query: 'mutation($input: ShareInput!) { shareDocument(input: $input) { role } }',
      variables: { input: { id: documentId, userId: other.userId, role: 'EDITOR' } },
      token: owner!.token,
    });
    if (shared.errors) throw new Error(`shareDocument: ${JSON.stringify(shared.errors)}`);
  });
  return documentId;
}

interface Group {
  documentId: string;
  typists: Typist[];
}

/** `documents` shared documents with `clients` synced typists each. */
async function openGroups(
  router: RouterProcess,
  users: User[],
  documents: number,
  clients: number,
  tally: Tally,
  random: () => number,
): Promise<Group[]> {
  const people = users.slice(0, clients);
  const ids = await inBatches(
    Array.from({ length: documents }, () => people),
    10,
    (group) => sharedDocument(router.url, group),
  );
  const groups: Group[] = ids.map((documentId) => ({ documentId, typists: [] }));
  const seats = groups.flatMap((group) => people.map((user) => ({ group, user })));
  await inBatches(seats, CONNECT_BATCH, async ({ group, user }) => {
    const typist = new Typist(router.url, user.token, group.documentId, tally, random);
    group.typists.push(typist);
    await Promise.race([
      typist.provider.whenSynced(),
      sleep(CONNECT_TIMEOUT_MS).then(() => {
        throw new Error('a provider did not sync');
      }),
    ]);
  });
  for (const { typists } of groups) {
    for (const typist of typists) typist.watch(typists.filter((other) => other !== typist));
  }
  return groups;
}

/** Every client of every group holds the same text as the server, nothing unacknowledged. */
async function converged(router: RouterProcess, owner: User, groups: Group[]) {
  const local = () =>
    groups.every(({ typists }) =>
      typists.every((typist) => typist.unacknowledged === 0 && typist.text === typists[0]!.text),
    );
  const started = performance.now();
  try {
    await waitFor(local, 'the clients to converge', CONVERGE_TIMEOUT_MS);
  } catch {
    return { converged: false, seconds: (performance.now() - started) / 1000 };
  }
  const seconds = (performance.now() - started) / 1000;
  const server = await inBatches(groups, 10, async ({ documentId, typists }) => {
    const read = await graphql<{ document: { content: string } }>(router.url, {
      query: 'query($id: ID!) { document(id: $id) { content } }',
      variables: { id: documentId },
      token: owner.token,
    });
    return read.data?.document.content === typists[0]!.text;
  });
  return { converged: server.every(Boolean), seconds };
}

async function typingLevel(
  label: string,
  router: RouterProcess,
  ui: ChildService,
  users: User[],
  documents: number,
  clients: number,
  serverCpu?: () => Promise<number>,
) {
  const tally = new Tally();
  const random = seededRandom(SEED + documents * 1_000 + clients);
  const groups = await openGroups(router, users, documents, clients, tally, random);
  const typists = groups.flatMap((group) => group.typists);
  try {
    for (const typist of typists) typist.start(EDIT_INTERVAL_MS, random() * EDIT_INTERVAL_MS);
    await sleep(WARM_UP_MS);
    const owner = users[0]!;
    const ids = new Set(groups.map((group) => group.documentId));
    const before = await mark(router, ui, owner, ids, serverCpu);
    const started = performance.now();
    tally.measuring = true;
    await sleep(LEVEL_MS);
    tally.measuring = false;
    const seconds = (performance.now() - started) / 1000;
    const figures = between(before, await mark(router, ui, owner, ids, serverCpu));
    for (const typist of typists) typist.stop();
    const end = await converged(router, owner, groups);
    const expected = tally.madeMeasured * (clients - 1);
    printLevel(label, {
      offered: tally.madeMeasured / seconds,
      applied: tally.ackedInWindow / seconds,
      arrivals: ascending(tally.arrivals),
      missing: expected - tally.arrivals.length,
      acks: ascending(tally.acks),
      calls: ascending(tally.calls),
      figures,
      ...end,
      errors: tally.errors,
    });
  } finally {
    await Promise.allSettled(typists.map((typist) => typist.close()));
  }
}

const ms = (value: number) => `${Number.isNaN(value) ? '-' : value.toFixed(0)} ms`.padStart(8);
const quantiles = (sorted: number[]) =>
  `p50 ${ms(percentile(sorted, 50))} p99 ${ms(percentile(sorted, 99))}`;

function printLevel(
  label: string,
  r: {
    offered: number;
    applied: number;
    arrivals: number[];
    missing: number;
    acks: number[];
    calls: number[];
    figures: ReturnType<typeof between>;
    converged: boolean;
    seconds: number;
    errors: Map<string, number>;
  },
) {
  const errors = [...r.errors].map(([code, n]) => `${code} ${n}`).join(', ') || 'none';
  console.log(
    `  ${label.padEnd(24)} edits offered ${r.offered.toFixed(0).padStart(4)}/s  acknowledged ${r.applied.toFixed(0).padStart(4)}/s  updates stored ${r.figures.stored.toFixed(0).padStart(4)}/s`,
  );
  console.log(
    `  ${''.padEnd(24)} edit -> other clients ${quantiles(r.arrivals)} (${r.arrivals.length} arrivals${r.missing ? `, ${r.missing} never arrived` : ''})`,
  );
  console.log(
    `  ${''.padEnd(24)} edit -> acknowledged  ${quantiles(r.acks)}   applyDocumentUpdates round trip ${quantiles(r.calls)}`,
  );
  console.log(
    `  ${''.padEnd(24)} CPU (% of one core): router ${r.figures.router.toFixed(0)}  ui ${r.figures.ui.toFixed(0)}${Number.isNaN(r.figures.database) ? ' (PGlite inside)' : `  postgres backends ${r.figures.database.toFixed(0)}`}  clients+other subgraphs ${r.figures.clients.toFixed(0)}   machine busy ${r.figures.machine.toFixed(0)} % of ${cpus().length} cores`,
  );
  const apply = r.figures.uiApply;
  const within = (le: number) => (100 * (apply.buckets.get(le) ?? NaN)) / apply.count;
  console.log(
    `  ${''.padEnd(24)} inside the ui: ${apply.count} applyDocumentUpdates, mean ${ms((1000 * apply.sum) / apply.count).trim()}, ${within(0.025).toFixed(0)} % <= 25 ms, ${within(0.05).toFixed(0)} % <= 50 ms, ${within(0.1).toFixed(0)} % <= 100 ms`,
  );
  console.log(
    `  ${''.padEnd(24)} converged ${r.converged ? 'yes' : 'no'} (${r.seconds.toFixed(1)} s after typing stopped)   errors: ${errors}`,
  );
}

function printLoad(label: string, timing: LoadTiming) {
  console.log(
    `  ${label.padEnd(24)} cold documentSync ${ms(timing.coldMs)}   again (live) ${ms(timing.warmMs)}   answer ${(timing.answerBytes / 1024).toFixed(0)} KiB base64`,
  );
}

/** Waits until the router reaches the ui subgraph again (its breaker may be open after a
 * crash until BREAKER_RESET_TIMEOUT_MS has passed). */
async function untilRouted(router: RouterProcess, user: User) {
  await waitFor(
    async () =>
      !(await graphql(router.url, { query: '{ documents(first: 1) { id } }', token: user.token }))
        .errors,
    'the router to reach the new ui subgraph',
    CONNECT_TIMEOUT_MS,
  );
}

/** The error a crashed process printed, and where it was thrown in our code. */
function crashOf(output: string): string {
  const lines = output.split('\n');
  const error = lines.find((line) => /^\w*Error\b/.test(line)) ?? lines.at(-1) ?? '';
  const site = lines.find((line) => /at .*(subgraphs|packages)\//.test(line))?.trim() ?? '';
  return `${error.trim()} ${site}`.trim();
}

interface Database {
  name: string;
  env: Record<string, string>;
  /** CPU seconds of the server processes serving this database (PostgreSQL only: PGlite
   * runs inside the ui process and counts as its CPU). */
  serverCpu?: () => Promise<number>;
  dispose(): Promise<void>;
}

async function databases(): Promise<Database[]> {
  const dataDir = temporaryDataDir('bench-collab');
  const list: Database[] = [
    {
      name: 'embedded PGlite (a temporary DATA_DIR, as npm start)',
      env: { DATA_DIR: dataDir.path },
      dispose: async () => dataDir.remove(),
    },
  ];
  const serverUrl = process.env['DATABASE_URL'];
  if (serverUrl) {
    const database = await createTestDatabase(serverUrl, 'bench_collab');
    list.push({
      name: `PostgreSQL (a fresh database on ${new URL(serverUrl).host})`,
      env: { DATABASE_URL: database.url },
      serverCpu: () => backendsCpu(serverUrl, new URL(database.url).pathname.slice(1)),
      dispose: () => database.drop(),
    });
  }
  return list;
}

export async function collab(): Promise<void> {
  console.log(
    `\ncollab: router and ui subgraph each in a process of its own, typists (CollabProvider, one graphql-ws client each) in this one; 127.0.0.1, ${cpus().length} cores, load average ${loadavg()[0]!.toFixed(2)} at start (other work may share them)`,
  );
  console.log(
    `  each client types 1 character at a random place every ${EDIT_INTERVAL_MS} ms (${1000 / EDIT_INTERVAL_MS} edits/s), ${WARM_UP_MS / 1000} s warm-up, then ${LEVEL_MS / 1000} s measured; presence set once per client`,
  );
  const supergraph = await startSupergraph({
    env: { ...UNTHROTTLED, TOKEN_TTL_SECONDS },
  });
  const uiPort = await freePort();
  const jwks = supergraph.subgraphUrls.security.replace('/graphql', '/.well-known/jwks.json');
  let ui: ChildService | undefined;
  let router: RouterProcess | undefined;
  // With a directory, only the level of the latency goal runs, and the router and ui
  // processes write V8 CPU profiles of it there as they exit.
  const profileDir = process.env['COLLAB_CPU_PROFILE_DIR'];
  const nodeArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const levels = profileDir ? [PROFILED_LEVEL] : ONE_DOCUMENT_LEVELS;
  const stores = await databases();
  try {
    let users: User[] | undefined;
    for (const store of stores) {
      const uiEnv = (extra: Record<string, string> = {}) => ({
        ...store.env,
        SECURITY_JWKS_URL: jwks,
        ...extra,
      });
      const startUi = async (env = uiEnv()) => {
        ui = await startChildService('ui', uiPort, env, { nodeArgs });
        return ui;
      };
      await startUi();
      router ??= await startRouterProcess(
        { ...supergraph.subgraphUrls, ui: `${ui!.url}/graphql` },
        UNTHROTTLED,
        nodeArgs,
      );
      users ??= await inBatches(
        Array.from({ length: Math.max(...ONE_DOCUMENT_LEVELS, CLIENTS_PER_DOCUMENT) }),
        SIGN_UP_BATCH,
        () => signUp(router!.url),
      );
      console.log(`\n  database: ${store.name}`);
      const level = async (label: string, documents: number, clients: number) => {
        const failure = await typingLevel(
          label,
          router!,
          ui!,
          users!,
          documents,
          clients,
          store.serverCpu,
        ).then(
          () => undefined,
          (error: Error) => error,
        );
        if (ui!.alive()) {
          if (failure) throw failure;
          return;
        }
        // A crash of the ui subgraph is a finding: say what it said, and go on with a new one.
        console.log(`  ${label.padEnd(24)} THE UI SUBGRAPH EXITED: ${crashOf(ui!.output())}`);
        await startUi();
        await untilRouted(router!, users![0]!);
      };
      for (const clients of levels) {
        await level(`${clients} clients, 1 document`, 1, clients);
      }
      if (profileDir) {
        await ui!.stop();
        ui = undefined;
        continue;
      }
      await level(
        `${MANY_DOCUMENTS} docs x ${CLIENTS_PER_DOCUMENT} clients`,
        MANY_DOCUMENTS,
        CLIENTS_PER_DOCUMENT,
      );

      // The long log: written straight to a ui process that takes no automatic snapshot.
      const owner = users[0]!;
      const coldEnv = uiEnv(NO_SNAPSHOTS);
      const restart = async () => {
        await ui!.stop();
        await startUi(coldEnv);
      };
      await restart();
      const cold = { url: `${ui!.url}/graphql`, restart };
      const warmUpId = await createDocument(router.url, owner.token, 'warm-up');
      const log = await writeLongLog(router.url, cold.url, owner.token);
      console.log(
        `  ${LOG_UPDATES} updates of 1 character written straight to the ui subgraph in ${log.seconds.toFixed(1)} s (${(LOG_UPDATES / log.seconds).toFixed(0)} updates/s, ${LOG_WRITERS} writers); documentSync straight to a restarted ui process, after one small request:`,
      );
      printLoad(
        'before compaction',
        await timeColdSync(cold, owner.token, log.documentId, warmUpId),
      );
      const snapshotMs = await snapshot(cold.url, owner.token, log.documentId);
      printLoad(
        `after a snapshot (${snapshotMs.toFixed(0)} ms)`,
        await timeColdSync(cold, owner.token, log.documentId, warmUpId),
      );
      await ui!.stop();
      ui = undefined;
      // The next database's ui takes the same port, where the router already points.
    }
  } catch (error) {
    // What the processes said helps tell a crash from a slow answer.
    if (ui) console.error(`ui alive: ${ui.alive()}; its output:\n${ui.output().slice(-4_000)}`);
    console.error(error instanceof Error ? [error.stack, error.cause] : error);
    if (router)
      console.error(`router exit code: ${router.child.exitCode} ${router.child.signalCode}`);
    throw error;
  } finally {
    await ui?.stop();
    await router?.stop();
    await supergraph.close();
    for (const store of stores) await store.dispose().catch(() => {});
  }
}
