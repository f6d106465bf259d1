import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { recordSince, timed } from "./timings";

beforeEach(() => vi.useFakeTimers({ toFake: ["performance"] }));
afterEach(() => vi.useRealTimers());

const read = () => (globalThis as { __sellerdeskTimings?: Record<string, { count: number; totalMs: number; maxMs: number }> }).__sellerdeskTimings ?? {};

describe("the page's timings", () => {
  it("keep a count, a total and the longest run per name", () => {
    const start = performance.now();
    vi.advanceTimersByTime(30);
    recordSince("test: fetch", start);
    timed("test: fetch", () => vi.advanceTimersByTime(10));
    expect(read()["test: fetch"]).toEqual({ count: 2, totalMs: 40, maxMs: 30 });
  });

  it("count a run that throws, and pass the error on", () => {
    expect(() =>
      timed("test: failing", () => {
        vi.advanceTimersByTime(5);
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(read()["test: failing"]).toEqual({ count: 1, totalMs: 5, maxMs: 5 });
  });
});
