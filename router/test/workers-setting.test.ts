// How many router processes ROUTER_WORKERS asks for: `auto` counts the cores the process may
// use, which a container's CPU limit (cgroup v2 cpu.max) can lower.
import { availableParallelism } from 'node:os';
import { parseConfig, usableCores } from '../src/config.js';

describe('ROUTER_WORKERS', () => {
  const cores = availableParallelism();

  it('counts the cores a CPU limit leaves', () => {
    expect(usableCores('max 100000\n')).toBe(cores);
    expect(usableCores('100000 100000\n')).toBe(1);
    expect(usableCores('50000 100000')).toBe(1);
    expect(usableCores('150000 100000')).toBe(Math.min(cores, 2));
    expect(usableCores(`${(cores + 4) * 100000} 100000`)).toBe(cores);
    expect(usableCores(undefined)).toBe(cores);
    expect(usableCores('garbage')).toBe(cores);
  });

  it('is auto in production, 1 elsewhere, and what it is told otherwise', () => {
    expect(parseConfig({ NODE_ENV: 'production', ROUTER_WORKERS: '' }).workers).toBe(usableCores());
    expect(parseConfig({ NODE_ENV: 'development' }).workers).toBe(1);
    expect(parseConfig({ ROUTER_WORKERS: '3' }).workers).toBe(3);
    expect(parseConfig({ ROUTER_WORKERS: 'auto' }).workers).toBe(usableCores());
    expect(() => parseConfig({ ROUTER_WORKERS: 'many' })).toThrow(/ROUTER_WORKERS/);
  });
});
