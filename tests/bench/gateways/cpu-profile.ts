// Summarises a V8 .cpuprofile (from node --cpu-prof): the functions that took the most self
// time, each as name, url:line and share of the samples, with "(garbage collector)" as one row.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  /** Microseconds of the monotonic clock, as process.hrtime gives in ns. */
  startTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  /** url:line, 1-based, with the repository's path left out; empty for V8's own entries. */
  location: string;
  /** Percent of the profile's time. */
  percent: number;
}

/** Spans of the monotonic clock in microseconds (process.hrtime.bigint() / 1000). */
export type Span = [start: number, end: number];

/** Samples of V8's own that are not work: waiting for events, and the profiler itself. */
const NOT_WORK = new Set(['(idle)', '(program)']);

/** The `top` functions of the profile at `path` by self time, weighted by each sample's
 * duration (the sampling interval is not steady under load), over the samples taken in `spans`
 * (all when none are given) that are work; `share` is the part of the samples that counted. */
export function topSelfTime(
  path: string,
  root: string,
  { top = 20, spans = [] }: { top?: number; spans?: Span[] } = {},
): { rows: SelfTime[]; share: number } {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const keyOf = new Map<number, string>();
  const rows = new Map<string, Omit<SelfTime, 'percent'> & { time: number }>();
  for (const { id, callFrame } of profile.nodes) {
    const name = callFrame.functionName || '(anonymous)';
    const url = callFrame.url.replace(`file://${root}/`, '');
    const location = url ? `${url}:${callFrame.lineNumber + 1}` : '';
    const key = `${name}\u0000${location}`;
    keyOf.set(id, key);
    if (!rows.has(key)) rows.set(key, { name, location, time: 0 });
  }
  let total = 0;
  let all = 0;
  let at = profile.startTime;
  profile.samples.forEach((id, index) => {
    const delta = Math.max(0, profile.timeDeltas[index] ?? 0);
    at += delta;
    all += delta;
    const row = rows.get(keyOf.get(id)!)!;
    if (NOT_WORK.has(row.name)) return;
    if (spans.length > 0 && !spans.some(([start, end]) => at >= start && at <= end)) return;
    row.time += delta;
    total += delta;
  });
  const ranked = [...rows.values()]
    .sort((a, b) => b.time - a.time)
    .slice(0, top)
    .map(({ name, location, time }) => ({ name, location, percent: (100 * time) / total }));
  return { rows: ranked, share: total / all };
}
