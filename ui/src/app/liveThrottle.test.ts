import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { LIVE_GAP_MAX_MS, LIVE_ROUND_TIMEOUT_MS, LiveThrottle } from "./liveThrottle";

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

/** A flush whose rounds take `ms` each (on the fake clock). */
function slowFlush(ms: number, rounds: unknown[][]) {
  return (keys: unknown[]) => {
    rounds.push(keys);
    return new Promise<void>((done) => setTimeout(done, ms));
  };
}

describe("live refetches", () => {
  it("go at once after a quiet spell, then at most once per gap with the keys merged", async () => {
    const flushed: unknown[][] = [];
    const throttle = new LiveThrottle({ gapMs: 125, flush: (keys) => void flushed.push(keys) });
    throttle.push([["thread", "c1"]]);
    await vi.advanceTimersByTimeAsync(0);
    expect(flushed).toEqual([[["thread", "c1"]]]);
    throttle.push([["conversations"]]);
    throttle.push([["thread", "c1"], ["conversations"]]);
    await vi.advanceTimersByTimeAsync(100);
    expect(flushed).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(25);
    expect(flushed).toEqual([[["thread", "c1"]], [["conversations"], ["thread", "c1"]]]);
  });

  it("a thousand batches in a second of quick rounds cost at most nine rounds", async () => {
    let rounds = 0;
    const throttle = new LiveThrottle({ gapMs: 125, flush: () => void rounds++ });
    for (let i = 0; i < 1000; i++) {
      throttle.push([["thread", "c1"]]);
      await vi.advanceTimersByTimeAsync(1);
    }
    expect(rounds).toBeLessThanOrEqual(9);
    expect(rounds).toBeGreaterThanOrEqual(8);
  });

  it("one round at a time: keys that come during a round wait for it to end", async () => {
    const rounds: unknown[][] = [];
    const throttle = new LiveThrottle({ gapMs: 0, flush: slowFlush(30, rounds) });
    throttle.push([["a"]]);
    await vi.advanceTimersByTimeAsync(0);
    throttle.push([["b"]]);
    throttle.push([["c"]]);
    await vi.advanceTimersByTimeAsync(29);
    expect(rounds).toEqual([[["a"]]]);
    // The round ended at 30 ms; the wait after it is three times its length.
    await vi.advanceTimersByTimeAsync(1 + 89);
    expect(rounds).toEqual([[["a"]]]);
    await vi.advanceTimersByTimeAsync(1);
    expect(rounds).toEqual([[["a"]], [["b"], ["c"]]]);
  });

  it("slow rounds under a flood take at most a quarter of the time, and still come every second", async () => {
    const rounds: unknown[][] = [];
    let busy = 0;
    const throttle = new LiveThrottle({
      gapMs: 125,
      flush: (keys) => {
        rounds.push(keys);
        busy += 200;
        return new Promise<void>((done) => setTimeout(done, 200));
      },
    });
    for (let ms = 0; ms < 10_000; ms += 5) {
      throttle.push([["conversations"]]);
      await vi.advanceTimersByTimeAsync(5);
    }
    // 200 ms rounds, 600 ms between them: 12-13 rounds in 10 s, busy a quarter of the time.
    expect(rounds.length).toBeGreaterThanOrEqual(12);
    expect(rounds.length).toBeLessThanOrEqual(13);
    expect(busy / 10_000).toBeLessThanOrEqual(0.26);
  });

  it("the wait after a round is never longer than a second", () => {
    const throttle = new LiveThrottle({ gapMs: 125, flush: () => {} });
    expect(throttle.gapAfter(10)).toBe(125);
    expect(throttle.gapAfter(100)).toBe(300);
    expect(throttle.gapAfter(5_000)).toBe(LIVE_GAP_MAX_MS);
  });

  it("a failed round does not stop the next", async () => {
    const rounds: unknown[][] = [];
    const throttle = new LiveThrottle({
      gapMs: 0,
      flush: (keys) => {
        rounds.push(keys);
        return Promise.reject(new Error("offline"));
      },
    });
    throttle.push([["a"]]);
    await vi.advanceTimersByTimeAsync(0);
    throttle.push([["b"]]);
    await vi.advanceTimersByTimeAsync(0);
    expect(rounds).toEqual([[["a"]], [["b"]]]);
  });

  it("a round that never settles ends after its timeout, and the next round comes", async () => {
    const rounds: unknown[][] = [];
    const throttle = new LiveThrottle({
      gapMs: 125,
      flush: (keys) => {
        rounds.push(keys);
        return new Promise<void>(() => {});
      },
    });
    throttle.push([["a"]]);
    await vi.advanceTimersByTimeAsync(0);
    throttle.push([["b"]]);
    await vi.advanceTimersByTimeAsync(LIVE_ROUND_TIMEOUT_MS - 1);
    expect(rounds).toEqual([[["a"]]]);
    await vi.advanceTimersByTimeAsync(1 + LIVE_GAP_MAX_MS);
    expect(rounds).toEqual([[["a"]], [["b"]]]);
  });

  it("nothing is flushed after stop, not even what came during a round", async () => {
    const rounds: unknown[][] = [];
    const throttle = new LiveThrottle({ gapMs: 0, flush: slowFlush(30, rounds) });
    throttle.push([["a"]]);
    await vi.advanceTimersByTimeAsync(0);
    throttle.push([["b"]]);
    throttle.stop();
    throttle.push([["c"]]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(rounds).toEqual([[["a"]]]);
  });
});
