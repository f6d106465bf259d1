import { cleanup, screen, waitFor } from "@solidjs/testing-library";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { PROBLEM_MS, createAppState } from "../app/state";
import type { AppInfo } from "../bindings/AppInfo";
import type { ConnectionState } from "../bindings/ConnectionState";
import { event } from "../queries/events.test-util";
import { SIGNED_IN, mockCommands, renderWithApp } from "../test-utils";
import { StatusBar, latencyText } from "./StatusBar";
import { seriousViolations } from "./axe.test-util";

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const bar = () => document.querySelector<HTMLElement>("footer.statusbar") as HTMLElement;
const text = (selector: string) => bar().querySelector(selector)?.textContent;
const latency = () => bar().querySelector<HTMLElement>(".latency") as HTMLElement;
const retry = () => bar().querySelector<HTMLButtonElement>("button.retry") as HTMLButtonElement;

const connected = (transport: "websocket" | "polling" = "websocket"): ConnectionState => ({
  state: "connected",
  transport,
  since: "2026-12-01T10:00:00Z",
});
const reconnecting = (delayMs: number): Extract<ConnectionState, { state: "reconnecting" }> => ({
  state: "reconnecting",
  attempt: 2,
  delayMs,
  transport: "websocket",
  reason: "transport close",
});

/** The bar for a signed-in seller (a copy of the info: the store merges later ones into it). */
function renderBar(info: Partial<AppInfo> = {}, app = createAppState()) {
  return renderWithApp(() => <StatusBar />, { app, info: { ...SIGNED_IN, ...info } as AppInfo });
}

describe("status bar", () => {
  beforeEach(() => {
    mockCommands({ retry_now: () => null });
  });

  it("says Starting… before the backend answered, and Not signed in without an account", () => {
    renderWithApp(() => <StatusBar />, { info: null });
    expect(text(".connection-text")).toBe("Starting…");
    expect(bar().dataset.connection).toBe("none");
    cleanup();
    renderBar({ signedIn: false, connection: null });
    expect(text(".connection-text")).toBe("Not signed in");
    expect(retry().disabled).toBe(true);
    expect(latency().hidden).toBe(true);
  });

  it("announces the connection politely and a problem at once, every control named", async () => {
    const { app } = renderBar({ connection: reconnecting(3000), pendingOutbox: 4 });
    app.showProblem("Could not send the message");
    expect(await seriousViolations(document.body)).toEqual([]);
    expect(bar().querySelector(".connection")).toHaveAttribute("role", "status");
    expect(bar().querySelector(".dot")).toHaveAttribute("aria-hidden", "true");
    expect(bar().querySelector(".problem")).toHaveAttribute("role", "alert");
    for (const control of bar().querySelectorAll("button")) expect(control.textContent?.trim()).not.toBe("");
  });

  it("offers to sign in again when the server rejected the token", async () => {
    const calls = mockCommands({ retry_now: () => null });
    const { app } = renderBar({ connection: { state: "authFailed", message: "AUTH_FAILED" }, pendingOutbox: 2 });
    expect(bar().dataset.connection).toBe("authFailed");
    expect(text(".connection-text")).toBe("Sign-in rejected: AUTH_FAILED");
    expect(retry().textContent).toBe("Sign in again");
    expect(retry().disabled).toBe(false);
    expect(text(".queued")).toBe("2 queued");
    retry().click();
    expect(app.state.reauth).toBe(true);
    await Promise.resolve();
    expect(calls).toHaveLength(0);
  });

  it("retries the connection for a rejected token in the demo (there is no token to enter)", async () => {
    const calls = mockCommands({ retry_now: () => null });
    const { app } = renderBar({ mode: "demo", connection: { state: "authFailed", message: "AUTH_FAILED" } });
    retry().click();
    await waitFor(() => expect(calls.map((c) => c.command)).toEqual(["retry_now"]));
    expect(app.state.reauth).toBe(false);
  });

  it("offers a retry while reconnecting or offline, and nothing to do while connected", async () => {
    const calls = mockCommands({ retry_now: () => null });
    const { app } = renderBar({ connection: reconnecting(2000) });
    expect(retry().textContent).toBe("Retry");
    expect(retry().disabled).toBe(false);
    retry().click();
    await waitFor(() => expect(calls.map((c) => c.command)).toEqual(["retry_now"]));
    app.applyEvent(event({ state: { state: "offline", reason: "no network", nextRetryAt: null } }), true);
    expect(bar().dataset.connection).toBe("offline");
    expect(text(".connection-text")).toBe("Offline: no network");
    expect(retry().disabled).toBe(false);
    app.applyEvent(event({ state: connected("polling") }), true);
    expect(text(".connection-text")).toMatch(/polling/i);
    expect(retry().disabled).toBe(true);
    app.applyEvent(event({ state: { state: "stopped" } }), true);
    expect(text(".connection-text")).toBe("Disconnected");
    expect(retry().disabled).toBe(true);
  });

  it("shows why a retry could not be asked for", async () => {
    mockCommands({ retry_now: () => Promise.reject({ code: "NOT_RUNNING", message: "No session to retry" }) });
    const { app } = renderBar({ connection: reconnecting(5000) });
    retry().click();
    await waitFor(() => expect(text(".problem")).toBe("No session to retry"));
    expect(app.state.problem?.text).toBe("No session to retry");
  });

  it("counts down to the next reconnect as the app's clock ticks", () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2026-12-01T10:00:00Z"));
    const app = createAppState();
    const ticking = setInterval(() => app.tick(), 1000);
    renderBar({ connection: reconnecting(3000) }, app);
    expect(text(".connection-text")).toBe("Reconnecting (attempt 2) in 3 s");
    vi.advanceTimersByTime(1000);
    expect(text(".connection-text")).toBe("Reconnecting (attempt 2) in 2 s");
    vi.advanceTimersByTime(1000);
    expect(text(".connection-text")).toBe("Reconnecting (attempt 2) in 1 s");
    vi.advanceTimersByTime(1000);
    expect(text(".connection-text")).toBe("Reconnecting (attempt 2) now");
    vi.advanceTimersByTime(5000);
    expect(text(".connection-text")).toBe("Reconnecting (attempt 2) now");
    // A new attempt counts from when it arrived.
    app.applyEvent(event({ state: { ...reconnecting(2000), attempt: 3 } }), true);
    expect(text(".connection-text")).toBe("Reconnecting (attempt 3) in 2 s");
    vi.advanceTimersByTime(1000);
    expect(text(".connection-text")).toBe("Reconnecting (attempt 3) in 1 s");
    clearInterval(ticking);
  });

  it("shows a problem until it runs out", () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2026-12-01T10:00:00Z"));
    const app = createAppState();
    const ticking = setInterval(() => app.tick(), 1000);
    renderBar({}, app);
    expect(text(".problem")).toBe("");
    app.showProblem("Could not send the message to Ana");
    const problem = bar().querySelector<HTMLElement>(".problem") as HTMLElement;
    expect(problem.textContent).toBe("Could not send the message to Ana");
    expect(problem.title).toBe("Could not send the message to Ana");
    vi.advanceTimersByTime(PROBLEM_MS - 1000);
    expect(problem.textContent).toBe("Could not send the message to Ana");
    vi.advanceTimersByTime(1000);
    expect(problem.textContent).toBe("");
    expect(problem.title).toBe("");
    clearInterval(ticking);
  });

  it("follows the outbox count as batches arrive", () => {
    const { app } = renderBar({ pendingOutbox: 0 });
    const queued = bar().querySelector<HTMLElement>(".queued") as HTMLElement;
    expect(queued.textContent).toBe("Nothing queued");
    expect(queued.dataset.count).toBe("0");
    app.applyEvent(event({ outboxPending: 3 }), true);
    expect(queued.textContent).toBe("3 queued");
    expect(queued.dataset.count).toBe("3");
    // A batch that does not mention the outbox leaves the count.
    app.applyEvent(event({}), true);
    expect(queued.dataset.count).toBe("3");
    app.applyEvent(event({ outboxPending: 0 }), true);
    expect(queued.dataset.count).toBe("0");
  });
});

describe("latency", () => {
  it("shows the last health check's round trip while connected", () => {
    const { app } = renderBar({ connection: connected(), latencyMs: 12 });
    expect(latency().hidden).toBe(false);
    expect(latency().textContent).toBe("12 ms");
    expect(latency().title).toBe("Round trip of the last health check");
    // The connection text is left as it was.
    expect(text(".connection-text")).toBe("Connected via WebSocket");
    app.applyEvent(event({ latencyMs: 48 }), true);
    expect(latency().textContent).toBe("48 ms");
    expect(screen.getByText("48 ms")).toBe(latency());
  });

  it("shows nothing while the round trip is unknown (a server that does not ack)", () => {
    renderBar({ connection: connected(), latencyMs: null });
    expect(latency().hidden).toBe(true);
    expect(latency().textContent).toBe("");
  });

  it("hides a figure left over from a connection that is gone", () => {
    const { app } = renderBar({ connection: connected(), latencyMs: 12 });
    app.applyEvent(event({ state: reconnecting(1000), latencyMs: 12 }), true);
    expect(latency().hidden).toBe(true);
    expect(latency().textContent).toBe("");
    app.applyEvent(event({ state: { state: "offline", reason: "down", nextRetryAt: null }, latencyMs: 12 }), true);
    expect(latency().hidden).toBe(true);
    cleanup();
    renderBar({ connection: null, latencyMs: 12 });
    expect(latency().hidden).toBe(true);
  });

  it("never shows a loopback round trip as no delay at all", () => {
    expect(latencyText(0)).toBe("<1 ms");
    expect(latencyText(0.4)).toBe("<1 ms");
    expect(latencyText(1)).toBe("1 ms");
    expect(latencyText(12.6)).toBe("13 ms");
    expect(latencyText(250)).toBe("250 ms");
  });
});
