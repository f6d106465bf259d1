import { describe, expect, it } from "vitest";
import { message } from "../fixtures.test-util";
import { isOwn, messageElement } from "./message";

const context = { selfId: "seller-1", onRetry: null, foundId: null };

describe("who wrote a message", () => {
  it("a buyer's message carrying a forged clientMessageId renders as theirs", () => {
    const forged = message({ id: "m9", clientMessageId: "forged-client-id", status: "read", own: false });
    expect(isOwn(forged)).toBe(false);
    const row = messageElement(forged, context);
    expect(row.classList.contains("theirs")).toBe(true);
    expect(row.classList.contains("own")).toBe(false);
    expect(row.querySelector(".sender")?.textContent).toBe("Buyer");
    expect(row.querySelector(".tick")).toBeNull();
  });

  it("goes by what the core decided, not by the sender id shown", () => {
    // The echo of this device's outbox message, from a server naming another sender id.
    const echo = message({ id: "m10", sender: { id: "alias", name: "Me", avatar: "" }, clientMessageId: "c-1", own: true });
    const row = messageElement(echo, context);
    expect(row.classList.contains("own")).toBe(true);
    expect(row.querySelector(".sender")).toBeNull();
    expect(row.querySelector(".tick")).not.toBeNull();
  });
});
