import fs from 'node:fs';

/** The parts of a V8 .cpuprofile (node --cpu-prof) this summary reads. */
interface CpuProfile {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
  }>;
  samples: number[];
  timeDeltas: number[];
  /** Monotonic clock of the first sample, in microseconds (CLOCK_MONOTONIC, as process.hrtime). */
  startTime: number;
}

/** A span of the monotonic clock (process.hrtime.bigint() / 1000n), in microseconds. */
export interface ProfileWindow {
  fromUs: number;
  toUs: number;
}

export interface SelfTime {
  name: string;
  /** Share of all sampled time, 0..1. */
  share: number;
  ms: number;
}

export interface ProfileSummary {
  totalMs: number;
  functions: SelfTime[];
  modules: SelfTime[];
}

/**
 * Self time (time spent in a function's own code, not its callees) by function and by
 * module, from the samples of a .cpuprofile. A module is an npm package, a workspace
 * package or service, Node's own internals, or V8's pseudo-frames ((garbage collector),
 * (program), (idle)).
 */
export function summarizeProfile(file: string, top = 15, window?: ProfileWindow): ProfileSummary {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const frameOf = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const byFunction = new Map<string, number>();
  const byModule = new Map<string, number>();
  let totalUs = 0;
  // Sample i was taken at startTime + the deltas up to it; outside the window (start-up,
  // module loading, warm-up) it is not what the load costs.
  let at = profile.startTime;
  profile.samples.forEach((nodeId, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    at += us;
    if (window && (at < window.fromUs || at > window.toUs)) return;
    const frame = frameOf.get(nodeId);
    if (!frame || us <= 0) return;
    totalUs += us;
    const module = moduleOf(frame.url, frame.functionName);
    const fn = `${frame.functionName || '(anonymous)'} ${module}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
    byModule.set(module, (byModule.get(module) ?? 0) + us);
  });
  const rank = (map: Map<string, number>): SelfTime[] =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: Math.round(us / 1000), share: totalUs ? us / totalUs : 0 }));
  return { totalMs: Math.round(totalUs / 1000), functions: rank(byFunction), modules: rank(byModule) };
}

/** The package a script URL belongs to: the last node_modules segment wins (pnpm nests them). */
export function moduleOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:'))
    return `node:${url.slice(5).split('/')[0] === 'internal' ? 'internal' : url.slice(5)}`;
  const path = url.replace(/^file:\/\//, '');
  const nm = path.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const parts = path.slice(nm + '/node_modules/'.length).split('/');
    return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? path);
  }
  const own = /\/(services|packages)\/([^/]+)\//.exec(path);
  return own ? `${own[1]}/${own[2]}` : path;
}
