// A subgraph in a child process (its own main.ts, as in production), for tests that kill it,
// bound its heap or run two replicas; the caller picks the port first, so the router can be
// pointed at it before it starts.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { waitFor } from '@supergraph/kit/testing';

export const ROOT = join(__dirname, '..');

/** A port nobody listens on now, for a child to take. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface ChildService {
  url: string;
  child: ChildProcess;
  /** What it printed (for failure messages). */
  output(): string;
  alive(): boolean;
  /** Sends the signal and resolves once the process is gone. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts `subgraphs/<name>/src/main.ts` on 127.0.0.1:port and waits for its /readyz. */
export async function startChildService(
  name: string,
  port: number,
  env: Record<string, string>,
  { nodeArgs = [] as string[], readyMs = 90_000 } = {},
): Promise<ChildService> {
  let output = '';
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', ...nodeArgs, `subgraphs/${name}/src/main.ts`],
    {
      cwd: ROOT,
      env: {
        PATH: process.env['PATH'],
        NODE_ENV: 'test',
        LOG_LEVEL: 'error',
        HOST: '127.0.0.1',
        PORT: String(port),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const alive = () => child.exitCode === null && child.signalCode === null;
  const url = `http://127.0.0.1:${port}`;
  const service: ChildService = {
    url,
    child,
    output: () => output,
    alive,
    async stop(signal = 'SIGTERM') {
      if (!alive()) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill(signal);
      await exited;
    },
  };
  try {
    await waitFor(
      async () => {
        if (!alive()) throw new Error(`${name} exited: ${output}`);
        return (await fetch(`${url}/readyz`)).ok;
      },
      `the ${name} subgraph in a child process`,
      readyMs,
    );
  } catch (error) {
    await service.stop('SIGKILL');
    throw error;
  }
  return service;
}
