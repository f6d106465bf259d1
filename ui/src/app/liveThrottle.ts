// Spaces out refetches caused by live events: the stale keys of several batches are merged and
// handed on at most once per `gapMs`, so a flood of server events (which the backend already
// batches at ~60 a second) leaves the page most of its frames for scrolling and typing. The first
// batch after a quiet spell goes at once. What the seller does is not throttled.

import type { QueryKey } from "@tanstack/solid-query";

/** The shortest time between two refetches caused by live events (at most 8 a second). */
export const LIVE_GAP_MS = 125;

export class LiveThrottle {
  private keys = new Map<string, QueryKey>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private last = -Infinity;

  constructor(
    private readonly gapMs: number,
    private readonly flush: (keys: QueryKey[]) => void,
    private readonly now: () => number = () => Date.now(),
  ) {}

  push(keys: readonly QueryKey[]): void {
    if (keys.length === 0) return;
    for (const key of keys) this.keys.set(JSON.stringify(key), key);
    if (this.timer !== null) return;
    const wait = Math.max(0, this.last + this.gapMs - this.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.last = this.now();
      const keys = [...this.keys.values()];
      this.keys.clear();
      this.flush(keys);
    }, wait);
  }

  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.keys.clear();
  }
}
