import { describe, expect, it } from "vitest";
import { connectionSummary } from "../format";
import { createStatusBar } from "./statusbar";

describe("status bar", () => {
  const now = Date.now();

  it("offers to sign in again when the server rejected the token", () => {
    let clicks = 0;
    const bar = createStatusBar(() => (clicks += 1));
    bar.update(connectionSummary({ state: "authFailed", message: "AUTH_FAILED" }, now, now), 2, null);
    const button = bar.element.querySelector("button");
    expect(button?.textContent).toBe("Sign in again");
    expect(button?.disabled).toBe(false);
    button?.click();
    expect(clicks).toBe(1);
    expect(bar.element.dataset.connection).toBe("authFailed");
    expect(bar.element.querySelector(".queued")?.textContent).toBe("2 queued");
  });

  it("offers a retry while reconnecting, and nothing to do while connected", () => {
    const bar = createStatusBar(() => {});
    const reconnecting = { state: "reconnecting", attempt: 2, delayMs: 2000, transport: "websocket", reason: "transport close" } as const;
    bar.update(connectionSummary(reconnecting, now, now), 0, null);
    expect(bar.element.querySelector("button")?.textContent).toBe("Retry");
    const connected = { state: "connected", transport: "polling", since: new Date(now).toISOString() } as const;
    bar.update(connectionSummary(connected, now, now), 0, null);
    expect(bar.element.querySelector(".connection-text")?.textContent).toMatch(/polling/i);
  });
});
