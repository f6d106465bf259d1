import { describe, expect, it } from "vitest";
import type { ConversationView } from "../bindings/ConversationView";
import { ConversationList, ROW_HEIGHT, presenceLabel } from "./sidebar";

function conversation(i: number, overrides: Partial<ConversationView> = {}): ConversationView {
  return {
    id: `c${i}`,
    state: "new",
    participants: [{ id: `b${i}`, name: `Buyer ${i}`, avatar: "" }],
    lastMessage: { content: `last of ${i}`, timestamp: "2026-11-26T06:49:09.823Z" },
    unreadCount: 0,
    presence: null,
    ...overrides,
  };
}

function sized(list: ConversationList, height: number): { scrollTop: number } {
  const view = { scrollTop: 0 };
  Object.defineProperty(list.element, "clientHeight", { get: () => height });
  Object.defineProperty(list.element, "scrollTop", { get: () => view.scrollTop, set: (v: number) => (view.scrollTop = v) });
  return view;
}

const state = { openId: null, selfId: "seller-1", typing: new Set<string>() };

describe("the conversation list", () => {
  it("keeps only the rows in view in the DOM, however many are loaded", () => {
    const nearEnd: number[] = [];
    const list = new ConversationList(
      () => {},
      () => nearEnd.push(1),
    );
    const view = sized(list, 640);
    const conversations = Array.from({ length: 10_000 }, (_, i) => conversation(i));
    list.update({ ...state, conversations });
    expect(list.renderedRows).toBeLessThanOrEqual(640 / ROW_HEIGHT + 2 * 8 + 1);
    expect(nearEnd).toHaveLength(0);

    view.scrollTop = 5_000 * ROW_HEIGHT;
    list.update({ ...state, conversations });
    const shown = Array.from(list.element.querySelectorAll<HTMLElement>("[data-conversation-id]"), (b) => b.dataset.conversationId);
    expect(shown).toContain("c5000");
    expect(shown).not.toContain("c0");
    expect(list.renderedRows).toBeLessThan(40);

    view.scrollTop = 10_000 * ROW_HEIGHT - 640;
    list.update({ ...state, conversations });
    expect(nearEnd.length).toBeGreaterThan(0);
  });

  it("shows typing instead of the last message, and the buyer's presence", () => {
    const list = new ConversationList(
      () => {},
      () => {},
    );
    sized(list, 640);
    list.update({
      ...state,
      typing: new Set(["c1"]),
      conversations: [
        conversation(1, { presence: { status: "online", lastSeen: null } }),
        conversation(2, { presence: { status: "away", lastSeen: "2026-11-26T06:49:09.823Z" }, unreadCount: 3 }),
      ],
    });
    const row = (id: string) => list.element.querySelector<HTMLElement>(`[data-conversation-id="${id}"]`);
    expect(row("c1")?.querySelector(".conversation-preview")?.textContent).toBe("typing…");
    expect(row("c1")?.querySelector(".presence.online")).not.toBeNull();
    expect(row("c1")?.getAttribute("aria-label")).toBe("Buyer 1, Online, typing");
    expect(row("c2")?.querySelector(".conversation-preview")?.textContent).toBe("last of 2");
    expect(row("c2")?.getAttribute("aria-label")).toMatch(/^Buyer 2, Away, last seen .+, 3 unread$/);
  });

  it("labels presence, with when the buyer was last seen", () => {
    expect(presenceLabel(null)).toBeNull();
    expect(presenceLabel({ status: "online", lastSeen: "2026-11-26T06:49:09.823Z" })).toBe("Online");
    expect(presenceLabel({ status: "offline", lastSeen: null })).toBe("Offline");
    expect(presenceLabel({ status: "away", lastSeen: "2026-11-26T06:49:09.823Z" })).toMatch(/^Away, last seen /);
  });

  it("keeps the row elements that did not change, so focus survives live updates", () => {
    const list = new ConversationList(
      () => {},
      () => {},
    );
    sized(list, 640);
    const conversations = [conversation(1), conversation(2)];
    list.update({ ...state, conversations });
    const first = list.element.querySelector('[data-conversation-id="c1"]');
    const second = list.element.querySelector('[data-conversation-id="c2"]');
    list.update({ ...state, conversations: [conversation(1), conversation(2, { unreadCount: 4 })] });
    expect(list.element.querySelector('[data-conversation-id="c1"]')).toBe(first);
    expect(list.element.querySelector('[data-conversation-id="c2"]')).not.toBe(second);
  });
});

