import { describe, expect, it } from "vitest";
import type { MessageView } from "../bindings/MessageView";
import type { ThreadAnchor } from "../bindings/ThreadAnchor";
import type { ThreadPage } from "../bindings/ThreadPage";
import { MAX_LOADED, MAX_ROWS, PAGE, Thread } from "./thread";

const T0 = Date.parse("2026-11-01T00:00:00.000Z");

function message(i: number, overrides: Partial<MessageView> = {}): MessageView {
  return {
    id: `m${String(i).padStart(6, "0")}`,
    conversationId: "c1",
    sender: { id: "b1", name: "Buyer", avatar: "" },
    content: `message ${i}`,
    attachments: [],
    timestamp: new Date(T0 + i * 1000).toISOString(),
    status: "read",
    clientMessageId: null,
    own: false,
    failure: null,
    ...overrides,
  };
}

/** The cache's thread_page over an in-memory thread, counting the calls. */
class FakeCache {
  messages: MessageView[];
  calls: ThreadAnchor[] = [];
  constructor(count: number) {
    this.messages = Array.from({ length: count }, (_, i) => message(i));
  }
  load = async (_conversation: string, anchor: ThreadAnchor, limit: number): Promise<ThreadPage> => {
    this.calls.push(anchor);
    const all = this.messages;
    const index = (id: string) => all.findIndex((m) => m.id === id);
    let from: number;
    let to: number;
    switch (anchor.from) {
      case "newest":
        to = all.length;
        from = Math.max(0, to - limit);
        break;
      case "before":
        to = index(anchor.cursor.id);
        from = Math.max(0, to - limit);
        break;
      case "after":
        from = index(anchor.cursor.id) + 1;
        to = Math.min(all.length, from + limit);
        break;
      case "around": {
        const at = index(anchor.messageId);
        from = Math.max(0, at - Math.floor(limit / 2));
        to = Math.min(all.length, from + limit);
        break;
      }
    }
    return { messages: all.slice(from, to), hasOlder: from > 0, hasNewer: to < all.length };
  };
}

/** jsdom lays nothing out: every row is 50 px high, the view 500 px. */
function layOut(thread: Thread): { scrollTop: number } {
  const scroller = thread.scroller;
  const view = { scrollTop: 0 };
  Object.defineProperty(scroller, "scrollTop", {
    get: () => view.scrollTop,
    set: (value: number) => (view.scrollTop = Math.max(0, Math.min(value, scroller.scrollHeight - 500))),
  });
  Object.defineProperty(scroller, "scrollHeight", { get: () => thread.renderedRows * 50 });
  Object.defineProperty(scroller, "clientHeight", { get: () => 500 });
  Object.defineProperty(HTMLElement.prototype, "offsetTop", {
    configurable: true,
    get(this: HTMLElement) {
      const parent = this.parentElement;
      return parent && this.tagName === "LI" ? Array.prototype.indexOf.call(parent.children, this) * 50 : 0;
    },
  });
  Object.defineProperty(HTMLElement.prototype, "offsetHeight", { configurable: true, get: () => 50 });
  return view;
}

function shownIds(thread: Thread): string[] {
  return Array.from(thread.scroller.querySelectorAll<HTMLElement>("[data-message-id]"), (row) => row.dataset.messageId ?? "");
}

const context = { selfId: "seller-1", onRetry: null, foundId: null };

describe("a long thread", () => {
  it("opens a 100,000-message thread at the newest page with a bounded DOM", async () => {
    const cache = new FakeCache(100_000);
    const thread = new Thread(cache.load, context);
    document.body.append(thread.element);
    layOut(thread);
    await thread.open("c1");
    expect(cache.calls).toEqual([{ from: "newest" }]);
    expect(thread.renderedRows).toBe(PAGE);
    expect(shownIds(thread).at(-1)).toBe("m099999");
    thread.element.remove();
  });

  it("scrolling all the way up loads older pages but never more than MAX_ROWS rows or MAX_LOADED messages", async () => {
    const cache = new FakeCache(100_000);
    const thread = new Thread(cache.load, context);
    const view = layOut(thread);
    await thread.open("c1");
    let maxRows = 0;
    let maxLoaded = 0;
    for (let i = 0; i < 60; i++) {
      view.scrollTop = 0;
      await thread.followScroll();
      maxRows = Math.max(maxRows, thread.renderedRows);
      maxLoaded = Math.max(maxLoaded, thread.loaded);
    }
    expect(maxRows).toBeLessThanOrEqual(MAX_ROWS);
    expect(maxLoaded).toBeLessThanOrEqual(MAX_LOADED);
    // Older history came from the cache a page at a time, each before the oldest loaded message.
    const before = cache.calls.filter((c) => c.from === "before");
    expect(before.length).toBeGreaterThan(10);
    const ids = shownIds(thread);
    expect(ids[0] < "m099000").toBe(true);
    // The rows stay in order and contiguous.
    const numbers = ids.map((id) => Number(id.slice(1)));
    expect(numbers.every((n, i) => i === 0 || n === numbers[i - 1] + 1)).toBe(true);
  }, 30_000);

  it("keeps the message under the seller's eyes where it was when the window moves", async () => {
    const cache = new FakeCache(5_000);
    const thread = new Thread(cache.load, context);
    const view = layOut(thread);
    await thread.open("c1");
    view.scrollTop = 120; // the first visible row is the third (rows are 50 px), 20 px cut off
    const visible = shownIds(thread)[2];
    await thread.followScroll();
    const ids = shownIds(thread);
    const top = ids.indexOf(visible) * 50 - view.scrollTop;
    expect(top).toBe(-20);
  });

  it("scrolls back down after a jump into history and reaches the newest again", async () => {
    const cache = new FakeCache(3_000);
    const thread = new Thread(cache.load, context);
    const view = layOut(thread);
    await thread.open("c1", "m001500");
    expect(shownIds(thread)).toContain("m001500");
    expect(thread.scroller.querySelector('[data-message-id="m001500"]')?.classList.contains("found")).toBe(true);
    for (let i = 0; i < 200 && shownIds(thread).at(-1) !== "m002999"; i++) {
      view.scrollTop = thread.scroller.scrollHeight;
      await thread.followScroll();
      expect(thread.renderedRows).toBeLessThanOrEqual(MAX_ROWS);
    }
    expect(shownIds(thread).at(-1)).toBe("m002999");
    expect(cache.calls.some((c) => c.from === "after")).toBe(true);
  }, 30_000);
});

describe("live updates", () => {
  it("appends new messages and rebuilds only the rows that changed", async () => {
    const cache = new FakeCache(300);
    const thread = new Thread(cache.load, context);
    layOut(thread);
    await thread.open("c1");
    const untouched = thread.scroller.querySelector('[data-message-id="m000250"]');
    const changing = thread.scroller.querySelector('[data-message-id="m000299"]');
    cache.messages[299] = { ...cache.messages[299], status: "failed", failure: "RATE_LIMIT" };
    cache.messages.push(message(300), message(301));
    await thread.refresh();
    expect(shownIds(thread).slice(-3)).toEqual(["m000299", "m000300", "m000301"]);
    expect(thread.scroller.querySelector('[data-message-id="m000250"]')).toBe(untouched);
    expect(thread.scroller.querySelector('[data-message-id="m000299"]')).not.toBe(changing);
  });

  it("starts again from the newest page when more than a page arrived at once", async () => {
    const cache = new FakeCache(50);
    const thread = new Thread(cache.load, context);
    layOut(thread);
    await thread.open("c1");
    for (let i = 50; i < 400; i++) cache.messages.push(message(i));
    await thread.refresh();
    const ids = shownIds(thread);
    expect(ids.at(-1)).toBe("m000399");
    expect(ids.length).toBe(PAGE);
  });

  it("drops the pages of a conversation that is no longer open", async () => {
    const slow = new FakeCache(10);
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const thread = new Thread(async (id, anchor, limit) => {
      if (id === "slow") await gate;
      return slow.load(id, anchor, limit);
    }, context);
    layOut(thread);
    const first = thread.open("slow");
    await thread.open("c1");
    slow.messages = [message(999)];
    release();
    await first;
    expect(thread.openConversation).toBe("c1");
    expect(shownIds(thread)).toHaveLength(10);
  });

  it("a live refresh during a page load waits for it, so no gap opens in the thread", async () => {
    const cache = new FakeCache(1_000);
    let release: () => void = () => {};
    let gated = false;
    const thread = new Thread(async (id, anchor, limit) => {
      if (anchor.from === "before" && !gated) {
        gated = true;
        await new Promise<void>((resolve) => (release = resolve));
      }
      return cache.load(id, anchor, limit);
    }, context);
    const view = layOut(thread);
    await thread.open("c1");
    view.scrollTop = 0;
    const older = thread.followScroll();
    // Meanwhile more than a page arrives and a live refresh comes.
    for (let i = 1_000; i < 1_250; i++) cache.messages.push(message(i));
    await thread.refresh();
    release();
    await older;
    await new Promise((resolve) => setTimeout(resolve, 0));
    const ids = shownIds(thread).map((id) => Number(id.slice(1)));
    expect(ids.every((n, i) => i === 0 || n === ids[i - 1] + 1)).toBe(true);
  });
});

