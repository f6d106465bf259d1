import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { LiveThrottle } from "./liveThrottle";

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("live refetches", () => {
  it("go at once after a quiet spell, then at most once per gap with the keys merged", () => {
    const flushed: unknown[][] = [];
    const throttle = new LiveThrottle(125, (keys) => flushed.push(keys), () => Date.now());
    throttle.push([["thread", "c1"]]);
    vi.advanceTimersByTime(0);
    expect(flushed).toEqual([[["thread", "c1"]]]);
    throttle.push([["conversations"]]);
    throttle.push([["thread", "c1"], ["conversations"]]);
    vi.advanceTimersByTime(100);
    expect(flushed).toHaveLength(1);
    vi.advanceTimersByTime(25);
    expect(flushed).toEqual([[["thread", "c1"]], [["conversations"], ["thread", "c1"]]]);
  });

  it("a thousand batches in a second cost at most nine refetch rounds", () => {
    let rounds = 0;
    const throttle = new LiveThrottle(125, () => rounds++, () => Date.now());
    for (let i = 0; i < 1000; i++) {
      throttle.push([["thread", "c1"]]);
      vi.advanceTimersByTime(1);
    }
    expect(rounds).toBeLessThanOrEqual(9);
    expect(rounds).toBeGreaterThanOrEqual(8);
  });

  it("nothing is flushed after stop", () => {
    const flush = vi.fn();
    const throttle = new LiveThrottle(125, flush, () => Date.now());
    throttle.push([["a"]]);
    throttle.stop();
    vi.advanceTimersByTime(1000);
    expect(flush).not.toHaveBeenCalled();
  });
});
