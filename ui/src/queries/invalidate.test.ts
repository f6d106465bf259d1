import { describe, expect, it } from "vitest";
import type { UiEvent } from "../bindings/UiEvent";
import { staleKeys } from "./invalidate";
import { event } from "./events.test-util";

describe("which queries a batch makes stale", () => {
  it("names the conversation list and only the threads of the conversations it names", () => {
    expect(staleKeys(event({}, { conversations: ["c1", "c2"] }))).toEqual([["conversations"], ["thread", "c1"], ["thread", "c2"]]);
  });

  it("an outbox change refetches that thread, not the conversation list", () => {
    expect(staleKeys(event({ outboxPending: 1 }, { outbox: ["c3"] }))).toEqual([["thread", "c3"]]);
  });

  it("a problem about a conversation refetches its thread", () => {
    const problem = { code: "RATE_LIMIT", message: "Slow down", conversationId: "c4", orderId: null };
    expect(staleKeys(event({ problems: [problem] as UiEvent["problems"] }))).toEqual([["thread", "c4"]]);
  });

  it("an order change refetches the order lists and that order's detail only", () => {
    expect(staleKeys(event({}, { orders: ["o1"] }))).toEqual([["orders"], ["order", "o1"]]);
  });

  it("listings and notifications refetch their lists", () => {
    expect(staleKeys(event({}, { listings: ["l1"], notifications: ["n1"] }))).toEqual([["listings"], ["notifications"]]);
  });

  it("presence changes the conversation list only", () => {
    expect(staleKeys(event({ presenceChanged: true }))).toEqual([["conversations"]]);
  });

  it("typing, a connection state or badge counts alone make nothing stale", () => {
    const typing = [{ conversationId: "c1", userId: "b1", isTyping: true }] as UiEvent["typing"];
    expect(staleKeys(event({ typing, unreadConversations: 3, state: { state: "connecting" } }))).toEqual([]);
  });

  it("a resync makes everything stale", () => {
    expect(staleKeys(event({ resync: true }, { conversations: ["c1"] }))).toBeNull();
  });
});
