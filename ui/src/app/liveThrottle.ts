// Spaces out refetches caused by live events: the stale keys of several batches are merged and
// handed on in rounds, one at a time. The first batch after a quiet spell goes at once; after a
// round the next waits at least `gapMs`, and longer when rounds are slow (a flood, a busy
// machine), so that live refreshes take at most a quarter of the page's time and it keeps most
// of its frames for scrolling and typing. What the seller does is not throttled.

import type { QueryKey } from "@tanstack/solid-query";

/** The shortest time between two rounds of refetches caused by live events (at most 8 a second). */
export const LIVE_GAP_MS = 125;
/** The longest wait between two rounds, however slow they are: live changes show within it. */
export const LIVE_GAP_MAX_MS = 1_000;
/** After a round, the next waits this many times as long as the round took (a round is then at
 * most a quarter of the time). */
export const LIVE_WAIT_PER_ROUND = 3;
/** A round whose refetches have not settled by then counts as ended: a command that never
 * answers must not stop every later live refresh. */
export const LIVE_ROUND_TIMEOUT_MS = 5_000;

export type LiveThrottleOptions = {
  gapMs: number;
  maxGapMs?: number;
  /** Refetches the keys; the next round starts only once what it returns has settled. */
  flush: (keys: QueryKey[]) => Promise<unknown> | void;
  now?: () => number;
};

export class LiveThrottle {
  private keys = new Map<string, QueryKey>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running = false;
  private stopped = false;
  private nextAt = -Infinity;
  private readonly gapMs: number;
  private readonly maxGapMs: number;
  private readonly flush: (keys: QueryKey[]) => Promise<unknown> | void;
  private readonly now: () => number;

  constructor(options: LiveThrottleOptions) {
    this.gapMs = options.gapMs;
    this.maxGapMs = Math.max(options.gapMs, options.maxGapMs ?? LIVE_GAP_MAX_MS);
    this.flush = options.flush;
    this.now = options.now ?? (() => Date.now());
  }

  push(keys: readonly QueryKey[]): void {
    if (keys.length === 0 || this.stopped) return;
    for (const key of keys) this.keys.set(JSON.stringify(key), key);
    this.schedule();
  }

  /** The wait after a round that took `ms`. */
  gapAfter(ms: number): number {
    return Math.min(this.maxGapMs, Math.max(this.gapMs, LIVE_WAIT_PER_ROUND * ms));
  }

  private schedule(): void {
    if (this.timer !== null || this.running || this.keys.size === 0) return;
    const wait = Math.max(0, this.nextAt - this.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.round();
    }, wait);
  }

  private async round(): Promise<void> {
    const keys = [...this.keys.values()];
    this.keys.clear();
    const started = this.now();
    this.running = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<void>((ended) => (timer = setTimeout(ended, LIVE_ROUND_TIMEOUT_MS)));
    try {
      await Promise.race([this.flush(keys), timedOut]);
    } catch {
      // A failed refetch shows on its own query; the next round still comes.
    } finally {
      clearTimeout(timer);
      this.running = false;
    }
    this.nextAt = this.now() + this.gapAfter(this.now() - started);
    if (!this.stopped) this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.keys.clear();
  }
}
