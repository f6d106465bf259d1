import { describe, expect, it, vi } from "vitest";
import type { UiEvent } from "./bindings/UiEvent";
import { EVERYTHING, LiveThrottle, NOTHING, type RefreshPlan, RefreshQueue, mergePlans, planFor } from "./updates";

function event(overrides: Partial<UiEvent> = {}): UiEvent {
  return {
    state: null,
    changes: { conversations: [], orders: [], listings: [], notifications: 0 },
    problems: [],
    outboxPending: null,
    latencyMs: null,
    typing: [],
    presenceChanged: false,
    received: 0,
    resync: false,
    ...overrides,
  };
}

describe("planFor", () => {
  it("refetches everything on a resync", () => {
    expect(planFor(event({ resync: true }), null)).toEqual(EVERYTHING);
  });

  it("refetches the open conversation only when it changed", () => {
    const changes = { conversations: ["c2"], orders: [], listings: [], notifications: 0 };
    expect(planFor(event({ changes }), "c1")).toEqual({ ...NOTHING, conversations: true });
    expect(planFor(event({ changes }), "c2")).toEqual({ ...NOTHING, conversations: true, messages: true });
  });

  it("refetches the inbox when a buyer's presence changed", () => {
    expect(planFor(event({ presenceChanged: true }), "c1")).toEqual({ ...NOTHING, conversations: true });
  });

  it("refetches messages when the outbox or a problem concerns them", () => {
    expect(planFor(event({ outboxPending: 0 }), "c1").messages).toBe(true);
    expect(planFor(event({ outboxPending: 0 }), null).messages).toBe(false);
    const problem = { code: "X", message: "m", conversationId: "c1", messageId: null, orderId: null };
    expect(planFor(event({ problems: [problem] }), "c1").messages).toBe(true);
    expect(planFor(event({ problems: [problem] }), "c9").messages).toBe(false);
  });

  it("a state change alone fetches nothing", () => {
    expect(planFor(event({ state: { state: "connecting" } }), "c1")).toEqual(NOTHING);
  });

  it("orders follow order changes", () => {
    const changes = { conversations: [], orders: ["o1"], listings: [], notifications: 0 };
    expect(planFor(event({ changes }), null)).toEqual({ ...NOTHING, orders: true });
  });
});

describe("RefreshQueue", () => {
  it("never overlaps and merges what was asked meanwhile into one run", async () => {
    const runs: RefreshPlan[] = [];
    let active = 0;
    let release: () => void = () => {};
    const queue = new RefreshQueue(async (plan) => {
      active += 1;
      expect(active).toBe(1);
      runs.push(plan);
      if (runs.length === 1) await new Promise<void>((resolve) => (release = resolve));
      active -= 1;
    });
    const first = queue.request({ ...NOTHING, conversations: true });
    // While the first runs, a burst arrives.
    for (let i = 0; i < 50; i++) void queue.request({ ...NOTHING, messages: true });
    void queue.request({ ...NOTHING, orders: true });
    release();
    await first;
    expect(runs).toEqual([
      { ...NOTHING, conversations: true },
      { ...NOTHING, messages: true, orders: true },
    ]);
  });

  it("keeps going after a failed refresh", async () => {
    const runs: RefreshPlan[] = [];
    const queue = new RefreshQueue(async (plan) => {
      runs.push(plan);
      if (runs.length === 1) throw new Error("cache error");
    });
    const errors = console.error;
    console.error = () => {};
    try {
      await queue.request(EVERYTHING);
      await queue.request({ ...NOTHING, info: true });
    } finally {
      console.error = errors;
    }
    expect(runs).toHaveLength(2);
  });

  it("merges plans as a union", () => {
    expect(mergePlans({ ...NOTHING, info: true }, { ...NOTHING, orders: true })).toEqual({
      ...NOTHING,
      info: true,
      orders: true,
    });
  });
});

describe("LiveThrottle", () => {
  it("hands on the first plan at once, then at most one merged plan per gap", async () => {
    vi.useFakeTimers();
    try {
      const flushed: RefreshPlan[] = [];
      const throttle = new LiveThrottle(200, (plan) => flushed.push(plan), () => Date.now());
      throttle.push({ ...NOTHING, conversations: true });
      await vi.advanceTimersByTimeAsync(0);
      expect(flushed).toEqual([{ ...NOTHING, conversations: true }]);
      // A flood: 60 batches a second for one second.
      for (let i = 0; i < 60; i++) {
        throttle.push({ ...NOTHING, orders: i % 2 === 0, messages: i % 2 === 1 });
        await vi.advanceTimersByTimeAsync(16);
      }
      await vi.advanceTimersByTimeAsync(200);
      expect(flushed.length).toBeGreaterThanOrEqual(5);
      expect(flushed.length).toBeLessThanOrEqual(7);
      expect(flushed.slice(1).every((plan) => plan.orders && plan.messages)).toBe(true);
      throttle.push(NOTHING);
      await vi.advanceTimersByTimeAsync(1000);
      expect(flushed.length).toBeLessThanOrEqual(7);
    } finally {
      vi.useRealTimers();
    }
  });
});
