import { describe, expect, it } from "vitest";
import type { ConversationView } from "./bindings/ConversationView";
import { Drafts, nextUnread, shortcutFor } from "./keys";

function key(overrides: Partial<KeyboardEvent>) {
  return { key: "", code: "", ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...overrides };
}

function conversation(id: string, unreadCount: number): ConversationView {
  return { id, state: "new", participants: [], lastMessage: null, unreadCount, presence: null };
}

describe("shortcuts", () => {
  it("maps keys to actions and ignores the rest", () => {
    expect(shortcutFor(key({ key: "k", ctrlKey: true }))).toEqual({ kind: "search" });
    expect(shortcutFor(key({ key: "K", metaKey: true }))).toEqual({ kind: "search" });
    expect(shortcutFor(key({ key: "¡", code: "Digit1", altKey: true }))).toEqual({ kind: "section", section: "inbox" });
    expect(shortcutFor(key({ key: "4", code: "Digit4", altKey: true }))).toEqual({ kind: "section", section: "notifications" });
    expect(shortcutFor(key({ key: "ArrowDown", altKey: true }))).toEqual({ kind: "nextUnread" });
    expect(shortcutFor(key({ key: "k" }))).toBeNull();
    expect(shortcutFor(key({ key: "5", code: "Digit5", altKey: true }))).toBeNull();
    expect(shortcutFor(key({ key: "ArrowDown" }))).toBeNull();
  });

  it("finds the next unread conversation after the open one, wrapping", () => {
    const list = [conversation("a", 1), conversation("b", 0), conversation("c", 2), conversation("d", 0)];
    expect(nextUnread(list, "a")).toBe("c");
    expect(nextUnread(list, "c")).toBe("a");
    expect(nextUnread(list, null)).toBe("a");
    expect(nextUnread([conversation("a", 3)], "a")).toBeNull();
    expect(nextUnread([], null)).toBeNull();
  });

  it("keeps a draft per conversation and forgets empty ones", () => {
    const drafts = new Drafts();
    drafts.save("a", "half a sentence");
    drafts.save("b", "   ");
    expect(drafts.take("a")).toBe("half a sentence");
    expect(drafts.take("b")).toBe("");
    drafts.save("a", "");
    expect(drafts.take("a")).toBe("");
  });
});
