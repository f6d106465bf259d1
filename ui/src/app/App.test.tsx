import { fireEvent, render, screen, waitFor } from "@solidjs/testing-library";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { settle } from "../components/layout.test-util";
import { SIGNED_IN } from "../test-utils";
import { createQueryClient } from "../queries/client";
import { seriousViolations } from "../views/axe.test-util";
import { App } from "./App";
import { event } from "../queries/events.test-util";
import { mockMarketplace } from "./marketplace.test-util";
import { createAppState } from "./state";

function renderApp(info = SIGNED_IN) {
  const market = mockMarketplace(info);
  const root = document.createElement("div");
  root.id = "app";
  document.body.append(root);
  const state = createAppState();
  const client = createQueryClient();
  const result = render(() => <App state={state} client={client} />, { container: root });
  return { ...result, ...market, state, root, queryClient: client };
}

const view = (root: HTMLElement) => root.dataset.view;

beforeEach(() => {
  document.body.replaceChildren();
});
afterEach(() => {
  vi.useRealTimers();
  document.documentElement.style.fontSize = "";
});

describe("the shell", () => {
  it("starts in the inbox of a signed-in seller, subscribed once, with the sections and their badges", async () => {
    const t = renderApp();
    await waitFor(() => expect(view(t.root)).toBe("inbox"));
    expect(t.calls.filter((c) => c.command === "subscribe")).toHaveLength(1);
    t.state.applyEvent(event({ unreadConversations: 4, unreadNotifications: 2 }), true);
    await settle();
    expect(t.root.querySelector('[data-tab="inbox"] .tab-badge')?.textContent).toBe("4");
    expect(t.root.querySelector('[data-tab="notifications"] .tab-badge')?.textContent).toBe("2");
    expect(t.root.querySelector('[data-tab="inbox"]')?.getAttribute("aria-current")).toBe("page");
  });

  it("shows the sign-in screen at the remembered text size", async () => {
    const t = renderApp({ ...SIGNED_IN, signedIn: false, userId: null, connection: null });
    await waitFor(() => expect(t.calls.some((c) => c.command === "desktop_preferences")).toBe(true));
    await settle();
    fireEvent.keyDown(document, { key: "=", code: "Equal", ctrlKey: true });
    await settle();
    expect(document.documentElement.style.fontSize).toBe("110%");
  });

  it("shows the sign-in screen when signed out, without sections or search", async () => {
    const t = renderApp({ ...SIGNED_IN, signedIn: false, userId: null, connection: null });
    await waitFor(() => expect(view(t.root)).toBe("signin"));
    expect(t.root.querySelector(".tab")).toBeNull();
    expect(t.root.querySelector(".search-input")).toBeNull();
  });

  it("switches sections by click and by Alt+digit, and moves focus into the new section", async () => {
    const t = renderApp();
    await waitFor(() => expect(view(t.root)).toBe("inbox"));
    fireEvent.click(t.root.querySelector('[data-tab="orders"]')!);
    await waitFor(() => expect(view(t.root)).toBe("orders"));
    await settle();
    expect(t.root.querySelector(".main")?.contains(document.activeElement)).toBe(true);
    fireEvent.keyDown(document, { key: "3", code: "Digit3", altKey: true });
    await waitFor(() => expect(view(t.root)).toBe("listings"));
    fireEvent.keyDown(document, { key: "4", code: "Digit4", altKey: true });
    await waitFor(() => expect(view(t.root)).toBe("notifications"));
    fireEvent.click(screen.getByRole("button", { name: "Settings" }));
    await waitFor(() => expect(view(t.root)).toBe("settings"));
  });

  it("tells the backend which conversation is on screen, and none while another section shows", async () => {
    const t = renderApp();
    await waitFor(() => expect(view(t.root)).toBe("inbox"));
    t.state.openConversation("c3");
    await settle();
    t.state.showSection("orders");
    await settle();
    const reported = t.calls.filter((c) => c.command === "set_open_conversation").map((c) => c.args.conversationId);
    expect(reported.slice(-2)).toEqual(["c3", null]);
  });

  it("a search hit in the conversation already open is marked there, and not again on coming back", async () => {
    const t = renderApp();
    await waitFor(() => expect(view(t.root)).toBe("inbox"));
    t.state.openConversation("c1");
    await waitFor(() => expect(t.root.querySelectorAll(".message").length).toBeGreaterThan(0));
    t.state.openConversation("c1", "m000005");
    await waitFor(() => expect(t.root.querySelector('.message.found[data-message-id="m000005"]')).not.toBeNull());
    t.state.showSection("orders");
    t.state.showSection("inbox");
    await waitFor(() => expect(t.root.querySelectorAll(".message").length).toBeGreaterThan(0));
    expect(t.root.querySelector(".message.found")).toBeNull();
    expect(t.state.state.route.foundMessageId).toBeNull();
  });

  it("follows a navigation the backend sends (a notification click)", async () => {
    const t = renderApp();
    await waitFor(() => expect(view(t.root)).toBe("inbox"));
    t.state.navigate({ view: "order", id: "ord-2" });
    await waitFor(() => expect(view(t.root)).toBe("orders"));
    await waitFor(() => expect(t.root.querySelector('.order-detail[data-order-id="ord-2"]')).not.toBeNull());
  });

  it("Ctrl+K focuses search; typing shows results; Escape clears them", async () => {
    const t = renderApp();
    await waitFor(() => expect(view(t.root)).toBe("inbox"));
    fireEvent.keyDown(document, { key: "k", code: "KeyK", ctrlKey: true });
    const input = t.root.querySelector<HTMLInputElement>(".search-input")!;
    expect(document.activeElement).toBe(input);
    fireEvent.input(input, { target: { value: "invoice" } });
    await waitFor(() => expect(view(t.root)).toBe("search"));
    fireEvent.keyDown(input, { key: "Escape" });
    await waitFor(() => expect(view(t.root)).toBe("inbox"));
  });

  it("Ctrl+= and Ctrl+- zoom the text and remember it; Ctrl+0 resets", async () => {
    const t = renderApp();
    await waitFor(() => expect(view(t.root)).toBe("inbox"));
    await waitFor(() => expect(t.calls.some((c) => c.command === "desktop_preferences")).toBe(true));
    await settle();
    fireEvent.keyDown(document, { key: "=", code: "Equal", ctrlKey: true });
    await settle();
    expect(document.documentElement.style.fontSize).toBe("110%");
    const saved = t.calls.filter((c) => c.command === "set_desktop_preferences").at(-1)?.args.preferences as { textZoom: number };
    expect(saved.textZoom).toBe(110);
    // Two quick presses step twice, and the last saved is the last shown.
    fireEvent.keyDown(document, { key: "=", code: "Equal", ctrlKey: true });
    fireEvent.keyDown(document, { key: "+", code: "Equal", ctrlKey: true, shiftKey: true });
    await settle(40);
    expect(document.documentElement.style.fontSize).toBe("150%");
    const last = t.calls.filter((c) => c.command === "set_desktop_preferences").at(-1)?.args.preferences as { textZoom: number };
    expect(last.textZoom).toBe(150);
    fireEvent.keyDown(document, { key: "0", code: "Digit0", ctrlKey: true });
    await settle();
    expect(document.documentElement.style.fontSize).toBe("");
  });
});

describe("accessibility, every screen with data", () => {
  it("has no serious or critical axe violations (contrast is checked in the real webview)", async () => {
    const t = renderApp();
    await waitFor(() => expect(t.root.querySelectorAll(".conversation").length).toBeGreaterThan(0));
    const found: Record<string, string[]> = {};
    t.state.openConversation("c1");
    await waitFor(() => expect(t.root.querySelectorAll(".message").length).toBeGreaterThan(0));
    found.inbox = await seriousViolations(t.root);
    t.state.openOrder("ord-1");
    await waitFor(() => expect(t.root.querySelector(".order-detail")).not.toBeNull());
    found.order = await seriousViolations(t.root);
    t.state.showSection("listings");
    await waitFor(() => expect(view(t.root)).toBe("listings"));
    await settle();
    found.listings = await seriousViolations(t.root);
    t.state.showSection("notifications");
    await waitFor(() => expect(view(t.root)).toBe("notifications"));
    await settle();
    found.notifications = await seriousViolations(t.root);
    t.state.showSection("settings");
    await waitFor(() => expect(t.root.querySelector(".settings-pane input")).not.toBeNull());
    found.settings = await seriousViolations(t.root);
    t.state.setSearch("invoice");
    await waitFor(() => expect(view(t.root)).toBe("search"));
    await settle();
    found.search = await seriousViolations(t.root);
    expect(found).toEqual({ inbox: [], order: [], listings: [], notifications: [], settings: [], search: [] });
  }, 60_000);

  it("the sign-in screen too", async () => {
    const t = renderApp({ ...SIGNED_IN, signedIn: false, userId: null, connection: null });
    await waitFor(() => expect(view(t.root)).toBe("signin"));
    expect(await seriousViolations(t.root)).toEqual([]);
  });
});

describe("a session that ends", () => {
  it("leaves nothing of its data cached, and the screens on show load again", async () => {
    const t = renderApp();
    await waitFor(() => expect(t.root.querySelectorAll(".conversation").length).toBeGreaterThan(0));
    t.state.openConversation("c1");
    await waitFor(() => expect(t.root.querySelectorAll(".message").length).toBeGreaterThan(0));
    const fetched = t.calls.filter((c) => c.command === "list_conversations").length;
    t.state.resetSession();
    await waitFor(() => expect(t.calls.filter((c) => c.command === "list_conversations").length).toBeGreaterThan(fetched));
    await waitFor(() => expect(t.root.querySelectorAll(".conversation").length).toBeGreaterThan(0));
    expect(t.root.querySelector(".message")).toBeNull();
  });
});

