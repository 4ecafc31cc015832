import { readFile } from 'node:fs/promises';

/** The parts of a V8 .cpuprofile (as written by `node --cpu-prof`) this summary reads. */
type CpuProfile = {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }>;
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
};

export type ProfileEntry = { fn: string; ms: number; share: number; /** Per request answered in the window, when known. */ usPerRequest?: number };

export type ProfileSummary = {
  /** Sampled wall time of the main thread within the window, ms. */
  totalMs: number;
  /** Requests answered in the window, when given: per-request figures divide by it. */
  requests?: number;
  /** Share of the samples in which the main thread was idle (waiting on I/O or for work). */
  idleShare: number;
  /** Functions by self time (time at the top of the stack), biggest first. */
  self: ProfileEntry[];
  /** Selected functions by inclusive time (self plus callees), biggest first. */
  inclusive: ProfileEntry[];
};

export type SummaryOptions = {
  top?: number;
  /** Functions (by `name file:line` key) whose inclusive time to report, e.g. /stringify|writeFile/. */
  inclusiveOf?: RegExp;
  /**
   * Only samples taken in this window count (µs on the monotonic clock: process.hrtime.bigint() / 1000n
   * in any process of the same machine, the clock V8 stamps profiles with), so start-up and shutdown
   * stay out of a load's profile.
   */
  window?: { fromUs: number; toUs: number };
  /** Requests answered in the window: adds µs per request to every entry. */
  requests?: number;
};

/**
 * Summarizes a .cpuprofile: self time per function (name, file, line), and inclusive time for the
 * functions whose key matches `inclusiveOf`.
 */
export async function summarizeProfile(path: string, options: SummaryOptions = {}): Promise<ProfileSummary> {
  const { top = 15, inclusiveOf, window, requests } = options;
  const profile = JSON.parse(await readFile(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const key = (id: number) => {
    const frame = byId.get(id)!.callFrame;
    const file = frame.url ? frame.url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, '').replace(/^.*\/work\/main\//, '') : '';
    return `${frame.functionName || '(anonymous)'}${file ? ` ${file}:${frame.lineNumber + 1}` : ''}`;
  };

  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  let idle = 0;
  let stamp = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    // timeDeltas[i] is the time before sample i; attributing it to sample i is the usual convention.
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    stamp += profile.timeDeltas[i] ?? 0;
    if (window && (stamp < window.fromUs || stamp > window.toUs)) continue;
    const id = profile.samples[i]!;
    total += dt;
    const k = key(id);
    if (k === '(idle)') idle += dt;
    self.set(k, (self.get(k) ?? 0) + dt);
    if (inclusiveOf) {
      const seen = new Set<string>();
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        const name = key(at);
        if (!seen.has(name) && inclusiveOf.test(name)) {
          seen.add(name);
          inclusive.set(name, (inclusive.get(name) ?? 0) + dt);
        }
      }
    }
  }
  const entries = (map: Map<string, number>) =>
    [...map]
      .map(([fn, ms]) => ({
        fn,
        ms: Math.round(ms),
        share: total > 0 ? Math.round((ms / total) * 1000) / 1000 : 0,
        ...(requests ? { usPerRequest: Math.round((ms * 1000) / requests) } : {}),
      }))
      .sort((a, b) => b.ms - a.ms);
  return { totalMs: Math.round(total), ...(requests ? { requests } : {}), idleShare: total > 0 ? Math.round((idle / total) * 1000) / 1000 : 0, self: entries(self).slice(0, top), inclusive: entries(inclusive).slice(0, top) };
}
