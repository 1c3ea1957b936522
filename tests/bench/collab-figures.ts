// Figures of the collaboration benchmark read from the processes: CPU of the router, the ui
// subgraph, the PostgreSQL backends, this process and the machine; updates the ui has stored,
// and the ui's own time on applyDocumentUpdates.
import { readFileSync } from 'node:fs';
import { graphql } from '@supergraph/kit/testing';
import type { ChildService } from '../child-service.js';
import {
  histogram,
  histogramBetween,
  metric,
  type HistogramSample,
  type RouterProcess,
} from './router-process.js';

interface User {
  token: string;
}

/** A figure read from a process, and when the answer came (the process read it about then:
 * under load a /metrics answer can take a while, so rates use these times, not the window's). */
interface Reading {
  value: number;
  at: number;
}

const reading = async (value: Promise<number>): Promise<Reading> => ({
  value: await value,
  at: performance.now(),
});

export interface Mark {
  router: Reading;
  ui: Reading;
  /** The ui subgraph's own time on applyDocumentUpdates (the router's HTTP fetches to it). */
  uiApply: HistogramSample;
  /** The updates the documents hold, summed, as the ui answers (the server's seq). */
  stored: Reading;
  /** CPU seconds of the database server's backends, when it is PostgreSQL. */
  database: Reading | undefined;
  self: NodeJS.CpuUsage;
  selfAt: number;
  /** Busy and total jiffies of the whole machine (/proc/stat). */
  machine: { busy: number; total: number };
}

function machineJiffies() {
  const fields = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]!
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const total = fields.reduce((sum, value) => sum + value, 0);
  const idle = fields[3]! + (fields[4] ?? 0);
  return { busy: total - idle, total };
}

/** The sum of the seqs of `ids`, read straight from the ui subgraph (one query). */
async function storedSeq(ui: ChildService, owner: User, ids: Set<string>): Promise<number> {
  const read = await graphql<{ documents: { id: string; seq: number }[] }>(`${ui.url}/graphql`, {
    query: `{ documents(first: ${ids.size}) { id seq } }`,
    token: owner.token,
  });
  if (!read.data) throw new Error(`documents: ${JSON.stringify(read.errors)}`);
  return read.data.documents.reduce((sum, { id, seq }) => (ids.has(id) ? sum + seq : sum), 0);
}

export async function mark(
  router: RouterProcess,
  ui: ChildService,
  owner: User,
  ids: Set<string>,
  serverCpu: (() => Promise<number>) | undefined,
): Promise<Mark> {
  const self = process.cpuUsage();
  const selfAt = performance.now();
  const machine = machineJiffies();
  const [routerCpu, uiCpu, uiApply, stored, database] = await Promise.all([
    reading(metric(router.base, 'process_cpu_seconds_total')),
    reading(metric(ui.url, 'process_cpu_seconds_total')),
    histogram(ui.url, 'graphql_request_duration_seconds', 'ApplyDocumentUpdates'),
    reading(storedSeq(ui, owner, ids)),
    serverCpu && reading(serverCpu()),
  ]);
  return { router: routerCpu, ui: uiCpu, uiApply, stored, database, self, selfAt, machine };
}

/** Per second of a reading's own interval. */
const perSecond = (before: Reading, after: Reading) =>
  (after.value - before.value) / ((after.at - before.at) / 1000);

/** CPU in percent of one core per process, the machine's busy share of all its cores, the
 * updates stored per second and the ui's applyDocumentUpdates times between two marks. */
export function between(before: Mark, after: Mark) {
  const self = process.cpuUsage(before.self);
  return {
    uiApply: histogramBetween(before.uiApply, after.uiApply),
    stored: perSecond(before.stored, after.stored),
    router: 100 * perSecond(before.router, after.router),
    ui: 100 * perSecond(before.ui, after.ui),
    database:
      before.database && after.database ? 100 * perSecond(before.database, after.database) : NaN,
    clients: (self.user + self.system) / 1e4 / ((after.selfAt - before.selfAt) / 1000),
    machine:
      (100 * (after.machine.busy - before.machine.busy)) /
      (after.machine.total - before.machine.total),
  };
}

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const USER_HZ = 100;

/** CPU seconds of the PostgreSQL backends connected to `name` (they run on this machine). */
export async function backendsCpu(serverUrl: string, name: string): Promise<number> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = $1',
      [name],
    );
    let ticks = 0;
    for (const { pid } of rows) {
      // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    }
    return ticks / USER_HZ;
  } finally {
    await client.end();
  }
}
