import { describe, expect, it } from "vitest";
import type { MessageView } from "./bindings/MessageView";
import { h, syncChildren } from "./dom";
import { composerKeyAction } from "./views/conversation";
import { type RetryHandler, messageElement } from "./views/message";
import { ConversationList } from "./views/sidebar";
import { message } from "./fixtures.test-util";

const hostile = `<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>`;


/** The rows of `messages` as the thread renders them. */
function renderMessages(scroller: HTMLElement, messages: MessageView[], selfId: string, onRetry: RetryHandler | null = null): void {
  scroller.replaceChildren(...messages.map((m) => messageElement(m, { selfId, onRetry, foundId: null })));
}

describe("safe text rendering", () => {
  it("shows markup from the server as text", () => {
    const element = h("p", {}, hostile);
    expect(element.textContent).toBe(hostile);
    expect(element.querySelector("img, script")).toBeNull();
  });

  it("refuses inline event handler attributes", () => {
    expect(() => h("div", { onclick: "alert(1)" })).toThrow();
  });

  it("renders hostile names and messages as text in the views", () => {
    const scroller = document.createElement("div");
    renderMessages(scroller, [message({ content: hostile, sender: { id: "b1", name: hostile, avatar: "" } })], "seller-1");
    expect(scroller.querySelector("img, script")).toBeNull();
    expect(scroller.querySelector(".content")?.textContent).toBe(hostile);

    const sidebar = new ConversationList(
      () => {},
      () => {},
    );
    sidebar.update({
      conversations: [
        {
          id: "c1",
          state: "new",
          participants: [{ id: "b1", name: hostile, avatar: "" }],
          lastMessage: { content: hostile, timestamp: "2026-11-26T06:49:09.823Z" },
          unreadCount: 2,
          presence: { status: hostile, lastSeen: null },
        },
      ],
      openId: null,
      selfId: "seller-1",
      typing: new Set(),
    });
    const list = sidebar.element;
    expect(list.querySelector("img, script")).toBeNull();
    expect(list.querySelector(".conversation-name")?.textContent).toBe(hostile);
    expect(list.querySelector(".badge")?.textContent).toBe("2");
  });
});

describe("message list", () => {
  it("marks own unsent and failed messages, with ticks only on own messages", () => {
    const scroller = document.createElement("div");
    renderMessages(
      scroller,
      [
        message({ id: "m1" }),
        message({ id: "m2", sender: { id: "seller-1", name: "Me", avatar: "" }, status: "read", own: true }),
        message({ id: "q1", sender: { id: "seller-1", name: "You", avatar: "" }, status: "queued", clientMessageId: "q1", own: true }),
        message({ id: "f1", sender: { id: "", name: "You", avatar: "" }, status: "failed", clientMessageId: "f1", failure: "CONVERSATION_CLOSED", own: true }),
      ],
      "seller-1",
    );
    const byId = (id: string) => scroller.querySelector(`[data-message-id="${id}"]`);
    expect(byId("m1")?.classList.contains("theirs")).toBe(true);
    expect(byId("m1")?.querySelector(".tick")).toBeNull();
    expect(byId("m2")?.querySelector(".tick.read")?.textContent).toBe("✓✓");
    expect(byId("q1")?.classList.contains("unsent")).toBe(true);
    expect(byId("f1")?.classList.contains("failed")).toBe(true);
    expect(byId("f1")?.querySelector(".failure")?.textContent).toBe("Not sent: CONVERSATION_CLOSED");
  });
});

describe("composer keys", () => {
  it("Enter sends, Shift+Enter adds a line, IME composition is left alone", () => {
    expect(composerKeyAction({ key: "Enter", shiftKey: false, isComposing: false })).toBe("send");
    expect(composerKeyAction({ key: "Enter", shiftKey: true, isComposing: false })).toBe("newline");
    expect(composerKeyAction({ key: "Enter", shiftKey: false, isComposing: true })).toBe("none");
    expect(composerKeyAction({ key: "a", shiftKey: false, isComposing: false })).toBe("none");
  });
});

describe("a refused message", () => {
  it("shows why and retries by its client message id", () => {
    const scroller = h("div");
    const retried: string[] = [];
    renderMessages(
      scroller,
      [message({ id: "c-9", clientMessageId: "c-9", status: "failed", failure: "INVALID_PAYLOAD: content too long", own: true })],
      "seller-1",
      (id) => retried.push(id),
    );
    const failure = scroller.querySelector(".failure");
    expect(failure?.textContent).toContain("INVALID_PAYLOAD: content too long");
    scroller.querySelector<HTMLButtonElement>("button.retry-message")?.click();
    expect(retried).toEqual(["c-9"]);
  });
});

describe("syncChildren", () => {
  it("moves only what changed and keeps the rows that stay attached", () => {
    const parent = h("ol");
    const [a, b, c, d, e] = ["a", "b", "c", "d", "e"].map((id) => h("li", { id }));
    parent.append(a, b, c, d);
    const observer = new MutationObserver(() => {});
    observer.observe(parent, { childList: true });
    const removed = () => observer.takeRecords().flatMap((record) => Array.from(record.removedNodes, (node) => (node as Element).id));
    // The window moves up by one row: one row leaves, one comes; the others stay attached.
    syncChildren(parent, [e, a, b, c]);
    expect(Array.from(parent.children, (x) => x.id)).toEqual(["e", "a", "b", "c"]);
    expect(removed()).toEqual(["d"]);
    syncChildren(parent, [c, a]);
    expect(Array.from(parent.children, (x) => x.id)).toEqual(["c", "a"]);
    syncChildren(parent, []);
    expect(parent.children).toHaveLength(0);
  });
});
