import { describe, expect, it } from "vitest";
import type { ConversationView } from "./bindings/ConversationView";
import { connectionSummary, counterpartName, humanize, isUnsent, messageTick, money, problemText, tokenNotice } from "./format";

describe("messageTick", () => {
  it("moves from a clock to one tick to two ticks", () => {
    expect(messageTick({ status: "queued", failure: null }).tone).toBe("pending");
    expect(messageTick({ status: "sending", failure: null }).tone).toBe("pending");
    expect(messageTick({ status: "sent", failure: null })).toMatchObject({ glyph: "✓", tone: "sent" });
    expect(messageTick({ status: "delivered", failure: null })).toMatchObject({ glyph: "✓✓", tone: "delivered" });
    expect(messageTick({ status: "read", failure: null })).toMatchObject({ glyph: "✓✓", tone: "read" });
  });

  it("says why a message failed, and shows unknown statuses as they are", () => {
    expect(messageTick({ status: "failed", failure: "RATE_LIMIT" })).toMatchObject({
      tone: "failed",
      label: "Not sent: RATE_LIMIT",
    });
    expect(messageTick({ status: "failed", failure: null }).label).toBe("Not sent");
    expect(messageTick({ status: "archived", failure: null })).toMatchObject({ tone: "unknown", label: "Status: archived" });
  });

  it("marks only outbox states as unsent", () => {
    expect(["queued", "sending", "failed"].every((status) => isUnsent({ status }))).toBe(true);
    expect(["sent", "delivered", "read"].some((status) => isUnsent({ status }))).toBe(false);
  });
});

describe("connectionSummary", () => {
  const t0 = 1_000_000;

  it("counts down to the next reconnect attempt", () => {
    const state = { state: "reconnecting", attempt: 3, delayMs: 4_000, transport: "websocket", reason: "x" } as const;
    expect(connectionSummary(state, t0, t0).text).toBe("Reconnecting (attempt 3) in 4 s");
    expect(connectionSummary(state, t0, t0 + 2_500).text).toBe("Reconnecting (attempt 3) in 2 s");
    expect(connectionSummary(state, t0, t0 + 9_000).text).toBe("Reconnecting (attempt 3) now");
    expect(connectionSummary(state, t0, t0).canRetry).toBe(true);
  });

  it("names the transport and the other states", () => {
    const since = "2026-11-26T06:49:09.823Z";
    expect(connectionSummary({ state: "connected", transport: "polling", since }, t0, t0).text).toBe(
      "Connected via long-polling",
    );
    expect(connectionSummary({ state: "connected", transport: "websocket", since }, t0, t0)).toMatchObject({
      kind: "connected",
      canRetry: false,
    });
    expect(connectionSummary({ state: "offline", reason: "refused", nextRetryAt: null }, t0, t0)).toMatchObject({
      kind: "offline",
      text: "Offline: refused",
    });
    expect(connectionSummary({ state: "authFailed", message: "AUTH_FAILED" }, t0, t0).kind).toBe("authFailed");
    expect(connectionSummary(null, t0, t0).kind).toBe("none");
  });
});

describe("names and values", () => {
  const conversation: ConversationView = {
    id: "c1",
    state: "new",
    participants: [
      { id: "seller-1", name: "Me", avatar: "" },
      { id: "b1", name: "Ada Buyer", avatar: "" },
    ],
    lastMessage: null,
    unreadCount: 0,
    presence: null,
  };

  it("shows the buyer, not the seller", () => {
    expect(counterpartName(conversation, "seller-1")).toBe("Ada Buyer");
    // Before the seller's id is known, everyone is listed.
    expect(counterpartName(conversation, null)).toBe("Me, Ada Buyer");
    expect(counterpartName({ ...conversation, participants: [] }, null)).toBe("c1");
  });

  it("formats money and enum-like values", () => {
    expect(money(12.5, "USD")).toMatch(/12\.50/);
    expect(money(3, "NOT-A-CODE")).toBe("3.00 NOT-A-CODE");
    expect(humanize("out_for_delivery")).toBe("Out for delivery");
    expect(humanize(null)).toBe("—");
  });
});

describe("problemText", () => {
  const conversation = {
    id: "c1",
    state: "new",
    participants: [{ id: "b1", name: "Zoë", avatar: "" }],
    lastMessage: null,
    unreadCount: 0,
    presence: null,
  };
  it("names what the problem concerns and keeps unknown codes", () => {
    const base = { messageId: null, conversationId: null, orderId: null };
    expect(problemText({ ...base, code: "ORDER_LOCKED", message: "Order is being refunded (ship)", orderId: "o-7" }, [])).toBe(
      "Order o-7: Order is being refunded (ship) (ORDER_LOCKED)",
    );
    expect(problemText({ ...base, code: "INVALID_PAYLOAD", message: "too long", conversationId: "c1" }, [conversation])).toBe(
      "Conversation with Zoë: too long (INVALID_PAYLOAD)",
    );
    expect(problemText({ ...base, code: "SOMETHING_NEW", message: "huh" }, [])).toBe("huh (SOMETHING_NEW)");
  });
});

describe("tokenNotice", () => {
  const now = Date.parse("2026-11-26T12:00:00Z");
  it("is quiet while the expiry is far off or unknown", () => {
    expect(tokenNotice(null, now)).toBeNull();
    expect(tokenNotice("2027-01-01T00:00:00Z", now)).toBeNull();
    expect(tokenNotice("not a date", now)).toBeNull();
  });
  it("warns within a week and says when it has expired", () => {
    expect(tokenNotice("2026-11-29T12:00:00Z", now)).toEqual({ level: "soon", text: "Your access token expires in 3 days" });
    expect(tokenNotice("2026-11-26T17:30:00Z", now)?.text).toBe("Your access token expires in 5 hours");
    expect(tokenNotice("2026-11-26T11:59:00Z", now)?.level).toBe("expired");
  });
});
