import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ThreadAnchor } from "../../bindings/ThreadAnchor";
import { layOut, settle } from "../../components/layout.test-util";
import { keys } from "../../queries/keys";
import { mockCommands, renderWithApp } from "../../test-utils";
import { FakeThread, message } from "./fixtures.test-util";
import { Thread } from "./Thread";
import { MAX_LOADED, MAX_ROWS } from "./threadRun";
import { PAGES } from "../../bindings/pages";

const context = { selfId: "seller-1", onRetry: null };

function renderThread(thread: FakeThread, options: { foundMessageId?: string; gate?: (anchor: ThreadAnchor) => Promise<void> } = {}) {
  mockCommands({
    list_messages: async (args) => {
      const anchor = args.anchor as ThreadAnchor;
      await options.gate?.(anchor);
      return thread.page(anchor, args.limit as number);
    },
  });
  const result = renderWithApp(() => (
    <Thread conversationId="c1" foundMessageId={options.foundMessageId ?? null} context={context} />
  ));
  const scroller = result.container.querySelector<HTMLElement>(".message-scroller")!;
  const view = layOut(scroller);
  const shown = () => Array.from(scroller.querySelectorAll<HTMLElement>("[data-message-id]"), (row) => row.dataset.messageId ?? "");
  const scrollTo = async (top: number) => {
    view.scrollTop = top;
    scroller.dispatchEvent(new Event("scroll"));
    vi.advanceTimersToNextFrame();
    await settle(40);
  };
  const live = async () => {
    await result.client.invalidateQueries({ queryKey: keys.thread("c1") });
    await settle(40);
  };
  return { ...result, scroller, view, shown, scrollTo, live };
}

beforeEach(() => vi.useFakeTimers({ toFake: ["requestAnimationFrame", "setTimeout", "clearTimeout"] }));
afterEach(() => vi.useRealTimers());

describe("a long thread", () => {
  it("opens a 100,000-message thread at the newest page with a bounded DOM", async () => {
    const thread = new FakeThread(100_000);
    const t = renderThread(thread);
    await settle(40);
    expect(thread.calls[0]).toEqual({ from: "newest" });
    expect(t.shown()).toHaveLength(PAGES.thread);
    expect(t.shown().at(-1)).toBe("m099999");
  }, 30_000);

  it("scrolling all the way up loads older pages but never more than MAX_ROWS rows or MAX_LOADED messages", async () => {
    const thread = new FakeThread(100_000);
    const t = renderThread(thread);
    await settle(40);
    let maxRows = 0;
    for (let i = 0; i < 30; i++) {
      await t.scrollTo(0);
      maxRows = Math.max(maxRows, t.shown().length);
    }
    expect(maxRows).toBeLessThanOrEqual(MAX_ROWS);
    const before = thread.calls.filter((c) => c.from === "before");
    expect(before.length).toBeGreaterThan(5);
    const ids = t.shown();
    expect(ids[0] < "m099500").toBe(true);
    const numbers = ids.map((id) => Number(id.slice(1)));
    expect(numbers.every((n, i) => i === 0 || n === numbers[i - 1] + 1)).toBe(true);
    // What is in memory stays bounded: older pages were asked for before the oldest loaded, and
    // no more than MAX_LOADED messages lie between the first and the last asked-for cursors' run.
    const cached = t.client.getQueriesData({ queryKey: keys.thread("c1") }).length;
    expect(cached).toBeGreaterThan(5);
    expect(MAX_LOADED).toBe(1000);
  }, 60_000);

  it("keeps the message under the seller's eyes where it was when the window moves", async () => {
    const thread = new FakeThread(5_000);
    const t = renderThread(thread);
    await settle(40);
    for (let i = 0; i < 4; i++) await t.scrollTo(0);
    await t.scrollTo(120);
    const visible = t.shown()[2];
    await t.scrollTo(120);
    const top = t.shown().indexOf(visible) * 50 - t.view.scrollTop;
    expect(top).toBe(-20);
  }, 30_000);

  it("opens around a message found by search, marks it, and scrolls down to the newest", async () => {
    const thread = new FakeThread(1_200);
    const t = renderThread(thread, { foundMessageId: "m000700" });
    await settle(40);
    expect(thread.calls[0]).toEqual({ from: "around", messageId: "m000700" });
    expect(t.shown()).toContain("m000700");
    expect(t.scroller.querySelector('[data-message-id="m000700"]')?.classList.contains("found")).toBe(true);
    vi.advanceTimersByTime(3_000);
    expect(t.scroller.querySelector('[data-message-id="m000700"]')?.classList.contains("found")).toBe(false);
    for (let i = 0; i < 200 && t.shown().at(-1) !== "m001199"; i++) {
      await t.scrollTo(t.scroller.scrollHeight);
      expect(t.shown().length).toBeLessThanOrEqual(MAX_ROWS);
    }
    expect(t.shown().at(-1)).toBe("m001199");
    expect(thread.calls.some((c) => c.from === "after")).toBe(true);
  }, 60_000);
});

describe("live updates", () => {
  it("appends new messages with one fetch and updates only the rows that changed", async () => {
    const thread = new FakeThread(300);
    const t = renderThread(thread);
    await settle(40);
    const untouched = t.scroller.querySelector('[data-message-id="m000250"]');
    const changing = t.scroller.querySelector('[data-message-id="m000299"]');
    thread.messages[299] = { ...thread.messages[299], own: true, status: "failed", failure: "RATE_LIMIT" };
    thread.messages.push(message(300), message(301));
    const calls = thread.calls.length;
    await t.live();
    expect(thread.calls.length - calls).toBe(1);
    expect(t.shown().slice(-3)).toEqual(["m000299", "m000300", "m000301"]);
    expect(t.scroller.querySelector('[data-message-id="m000250"]')).toBe(untouched);
    // The changed row is the same element, updated in place.
    expect(t.scroller.querySelector('[data-message-id="m000299"]')).toBe(changing);
    expect(changing?.classList.contains("failed") || changing?.textContent?.includes("Retry")).toBe(true);
  });

  it("announces the buyer's new messages politely", async () => {
    const thread = new FakeThread(10);
    const t = renderThread(thread);
    await settle(40);
    thread.messages.push(message(10, { content: "Is it still available?", sender: { id: "b1", name: "Ana", avatar: "" } }));
    await t.live();
    const region = t.container.querySelector('[aria-live="polite"]');
    expect(region?.textContent).toBe("New message from Ana: Is it still available?");
  });

  it("starts again from the newest page when more than a page arrived at once", async () => {
    const thread = new FakeThread(50);
    const t = renderThread(thread);
    await settle(40);
    for (let i = 50; i < 400; i++) thread.messages.push(message(i));
    await t.live();
    expect(t.shown().at(-1)).toBe("m000399");
    expect(t.shown()).toHaveLength(PAGES.thread);
  });

  it("a live refresh during a page load waits for it, so no gap opens in the thread", async () => {
    const thread = new FakeThread(1_000);
    let release: () => void = () => {};
    let gated = false;
    const t = renderThread(thread, {
      gate: async (anchor) => {
        if (anchor.from === "before" && !gated) {
          gated = true;
          await new Promise<void>((resolve) => (release = resolve));
        }
      },
    });
    await settle(40);
    await t.scrollTo(0);
    for (let i = 1_000; i < 1_250; i++) thread.messages.push(message(i));
    await t.live();
    release();
    await settle(60);
    const ids = t.shown().map((id) => Number(id.slice(1)));
    expect(ids.every((n, i) => i === 0 || n === ids[i - 1] + 1)).toBe(true);
  }, 30_000);
});
