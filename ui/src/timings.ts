// Where the page's own time goes, kept as running totals per name (a count, the total and the
// longest, in ms) so that it costs a few additions and never grows. The measurement scripts
// (tests/perf) read them from `window.__sellerdeskTimings`; the page never shows them.

export type Timing = { count: number; totalMs: number; maxMs: number };

const timings: Record<string, Timing> = {};
(globalThis as { __sellerdeskTimings?: Record<string, Timing> }).__sellerdeskTimings = timings;

/** Adds one run of `name` that started at `startMs` (performance.now()) and ends now. */
export function recordSince(name: string, startMs: number): void {
  const ms = performance.now() - startMs;
  const timing = timings[name] ?? (timings[name] = { count: 0, totalMs: 0, maxMs: 0 });
  timing.count += 1;
  timing.totalMs += ms;
  if (ms > timing.maxMs) timing.maxMs = ms;
}

/** Runs `run`, adding its time to `name`. */
export function timed<T>(name: string, run: () => T): T {
  const start = performance.now();
  try {
    return run();
  } finally {
    recordSince(name, start);
  }
}
