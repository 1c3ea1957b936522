// Child processes of the gateways benchmark: pinned to a core with taskset when it exists, their
// CPU time read from /proc, stopped with a signal that lets --cpu-prof write its profile.
import { execFileSync, spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { ROOT } from '../../child-service.js';

const TSX_ARGS = ['--conditions=source', '--import', 'tsx'];

function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['-c', '0', 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Whether processes are pinned (taskset from util-linux is present and allowed). */
export const PINNED = hasTaskset();

/** Runs `script` (a .ts path from the repository root) in Node with tsx on `core`. taskset
 * execs Node, so the child's pid is Node's. */
export function spawnNode(
  script: string,
  core: number,
  {
    env = {},
    nodeArgs = [],
    stdio = 'inherit',
  }: {
    env?: Record<string, string>;
    nodeArgs?: string[];
    stdio?: StdioOptions;
  } = {},
): ChildProcess {
  const args = [...TSX_ARGS, ...nodeArgs, script];
  const [command, argv] = PINNED
    ? ['taskset', ['-c', String(core), process.execPath, ...args]]
    : [process.execPath, args];
  return spawn(command, argv, {
    cwd: ROOT,
    stdio,
    env: { PATH: process.env['PATH'], ...env },
  });
}

/** Stops `child` with SIGTERM and resolves once it has exited. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU time (user + system) that process `pid` has used so far, in ms. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may hold spaces and parentheses: fields are counted after its last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name and state.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}
