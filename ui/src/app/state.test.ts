import { describe, expect, it } from "vitest";
import { event } from "../queries/events.test-util";
import { SIGNED_IN } from "../test-utils";
import { PROBLEM_MS, TYPING_SHOWN_MS, createAppState } from "./state";

function at(start = 1_000_000) {
  const clock = { now: start };
  return { clock, app: createAppState(() => clock.now) };
}

describe("the app state", () => {
  it("replaces the connection state, never merging the last one's fields into the next", () => {
    const { app } = at();
    app.setInfo({ ...SIGNED_IN, connection: { state: "authFailed", message: "AUTH_FAILED" } });
    app.applyEvent(event({ state: { state: "connecting" } }), true);
    expect(app.state.connection).toEqual({ state: "connecting" });
  });

  it("does not write into the AppInfo it was given", () => {
    const { app } = at();
    const info = structuredClone(SIGNED_IN);
    app.setInfo(info);
    app.setInfo({ ...SIGNED_IN, server: "https://other.example", userId: null });
    expect(info).toEqual(SIGNED_IN);
    expect(app.state.info?.userId).toBeNull();
  });

  it("shows a buyer typing until a stop, or until it runs out; the seller's own typing never", () => {
    const { app, clock } = at();
    app.setInfo(SIGNED_IN);
    const typing = (conversationId: string, userId: string, isTyping: boolean) => ({ conversationId, userId, isTyping });
    app.applyEvent(event({ typing: [typing("c1", "b1", true), typing("c2", "seller-1", true)] as never }), true);
    expect(Object.keys(app.state.typing)).toEqual(["c1"]);
    clock.now += TYPING_SHOWN_MS - 1;
    app.tick();
    expect(app.state.typing.c1).toBeDefined();
    clock.now += 1;
    app.tick();
    expect(app.state.typing.c1).toBeUndefined();
    app.applyEvent(event({ typing: [typing("c1", "b1", true)] as never }), false);
    expect(app.state.typing).toEqual({});
  });

  it("keeps a problem on screen for PROBLEM_MS", () => {
    const { app, clock } = at();
    app.showProblem("The marketplace refused the message");
    clock.now += PROBLEM_MS - 1;
    app.tick();
    expect(app.state.problem?.text).toBe("The marketplace refused the message");
    clock.now += 1;
    app.tick();
    expect(app.state.problem).toBeNull();
  });

  it("takes the badge counts the backend sends, and keeps them when a batch has none", () => {
    const { app } = at();
    app.applyEvent(event({ unreadConversations: 3, unreadNotifications: 1 }), true);
    app.applyEvent(event({}), true);
    expect([app.state.unreadConversations, app.state.unreadNotifications]).toEqual([3, 1]);
  });

  it("navigates to what a notification or link names", () => {
    const { app } = at();
    app.navigate({ view: "conversation", id: "c9" });
    expect(app.state.route).toMatchObject({ section: "inbox", conversationId: "c9" });
    app.navigate({ view: "order", id: "o2" });
    expect(app.state.route).toMatchObject({ section: "orders", orderId: "o2", conversationId: "c9" });
    app.setSearch("box");
    app.navigate({ view: "notifications" });
    expect(app.state.route).toMatchObject({ section: "notifications", search: "" });
  });

  it("forgets the session's route, counters and typing on reset, keeping what the backend said", () => {
    const { app } = at();
    app.setInfo(SIGNED_IN);
    app.openConversation("c1");
    app.applyEvent(event({ unreadConversations: 2 }), true);
    let reset = 0;
    app.onSessionReset(() => reset++);
    app.resetSession();
    expect(app.state.route.conversationId).toBeNull();
    expect(app.state.unreadConversations).toBe(0);
    expect(app.state.info?.userId).toBe("seller-1");
    expect(reset).toBe(1);
  });
});
