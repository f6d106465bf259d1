import { describe, expect, it } from "vitest";
import { connectionSummary } from "../format";
import { createStatusBar, latencyText } from "./statusbar";

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

  describe("latency", () => {
    const connected = { state: "connected", transport: "websocket", since: new Date(now).toISOString() } as const;
    const latency = (bar: ReturnType<typeof createStatusBar>) => bar.element.querySelector<HTMLElement>(".latency");

    it("shows the last health check's round trip while connected", () => {
      const bar = createStatusBar(() => {});
      bar.update(connectionSummary(connected, now, now), 0, null, 12);
      expect(latency(bar)?.hidden).toBe(false);
      expect(latency(bar)?.textContent).toBe("12 ms");
      expect(latency(bar)?.title).toBe("Round trip of the last health check");
      // The connection text is left as it was.
      expect(bar.element.querySelector(".connection-text")?.textContent).toBe("Connected via WebSocket");
      bar.update(connectionSummary(connected, now, now), 0, null, 48);
      expect(latency(bar)?.textContent).toBe("48 ms");
    });

    it("shows nothing while the round trip is unknown (a server that does not ack)", () => {
      const bar = createStatusBar(() => {});
      bar.update(connectionSummary(connected, now, now), 0, null, null);
      expect(latency(bar)?.hidden).toBe(true);
      expect(latency(bar)?.textContent).toBe("");
      // Callers that pass no latency at all get the same.
      bar.update(connectionSummary(connected, now, now), 0, null);
      expect(latency(bar)?.hidden).toBe(true);
    });

    it("hides a figure left over from a connection that is gone", () => {
      const bar = createStatusBar(() => {});
      bar.update(connectionSummary(connected, now, now), 0, null, 12);
      const reconnecting = { state: "reconnecting", attempt: 1, delayMs: 1000, transport: "websocket", reason: "transport close" } as const;
      bar.update(connectionSummary(reconnecting, now, now), 0, null, 12);
      expect(latency(bar)?.hidden).toBe(true);
      expect(latency(bar)?.textContent).toBe("");
      bar.update(connectionSummary({ state: "offline", reason: "down", nextRetryAt: null }, now, now), 0, null, 12);
      expect(latency(bar)?.hidden).toBe(true);
      bar.update(connectionSummary(null, now, now), 0, null, 12);
      expect(latency(bar)?.hidden).toBe(true);
    });

    it("never shows a loopback round trip as no delay at all", () => {
      expect(latencyText(0)).toBe("<1 ms");
      expect(latencyText(1)).toBe("1 ms");
      expect(latencyText(250)).toBe("250 ms");
    });
  });
});
