import { fireEvent, screen } from "@solidjs/testing-library";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { handleEvent, liveRefetches } from "../../app/events";
import type { ConversationView } from "../../bindings/ConversationView";
import { PAGES } from "../../bindings/pages";
import type { ThreadAnchor } from "../../bindings/ThreadAnchor";
import { layOut, settle } from "../../components/layout.test-util";
import { Drafts } from "../../keys";
import { event } from "../../queries/events.test-util";
import { type Calls, mockCommands, renderWithApp } from "../../test-utils";
import { FakeThread, message } from "./fixtures.test-util";
import { InboxScreen } from "./InboxScreen";

function conversation(i: number, overrides: Partial<ConversationView> = {}): ConversationView {
  return {
    id: `c${i}`,
    state: "new",
    participants: [
      { id: "seller-1", name: "Me", avatar: "" },
      { id: `b${i}`, name: `Buyer ${i}`, avatar: "" },
    ],
    lastMessage: { content: `last of ${i}`, timestamp: "2026-11-30T10:00:00Z" },
    unreadCount: 0,
    presence: null,
    ...overrides,
  };
}

const SETTINGS = {
  categories: { newOrders: true, orderUpdates: true, payments: true, shipping: true, messages: true, userNotifications: true, systemHigh: true },
  doNotDisturb: { on: false, schedule: null, includeMoney: false },
  mutedConversations: [] as string[],
  pausedUntil: null,
};
const PREFERENCES = { closeToTray: true, startAtLogin: false, showTyping: true, showReadReceipts: true, loadPreviewsAutomatically: true, textZoom: 100 };

function setup(options: { conversations?: ConversationView[]; thread?: FakeThread } = {}) {
  const conversations = options.conversations ?? Array.from({ length: 30 }, (_, i) => conversation(i + 1));
  const thread = options.thread ?? new FakeThread(20);
  const calls: Calls = mockCommands({
    list_conversations: (args) => conversations.slice(args.offset as number, (args.offset as number) + (args.limit as number)),
    list_messages: (args) => thread.page(args.anchor as ThreadAnchor, args.limit as number),
    notification_settings: () => SETTINGS,
    desktop_preferences: () => PREFERENCES,
    mark_conversation_read: () => null,
    set_notification_settings: () => null,
    send_message: () => ({ clientMessageId: "x", conversationId: "c1", content: "hello", state: "queued" }),
    first_paint: () => null,
  });
  const drafts = new Drafts();
  const view = renderWithApp(() => <InboxScreen drafts={drafts} />);
  return { ...view, calls, conversations, thread, drafts };
}

beforeEach(() => vi.useFakeTimers({ toFake: ["requestAnimationFrame", "setTimeout", "clearTimeout"] }));
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("the inbox", () => {
  it("lists conversations with the buyer's name, last message and unread badge", async () => {
    const t = setup({ conversations: [conversation(1, { unreadCount: 3 }), conversation(2)] });
    await settle(40);
    const rows = t.container.querySelectorAll(".conversation");
    expect(rows).toHaveLength(2);
    // Named by what it shows (label in name), with the unread count said in words.
    expect(rows[0].hasAttribute("aria-label")).toBe(false);
    expect(rows[0].textContent?.replace(/\s+/g, " ")).toContain("Buyer 1");
    expect(rows[0].textContent).toContain("3 unread");
    expect(rows[0].querySelector(".badge")?.textContent).toBe("3 unread");
    expect(rows[1].querySelector(".conversation-preview")?.textContent).toBe("last of 2");
    expect(rows[1].querySelector(".conversation-preview")?.getAttribute("dir")).toBe("auto");
  });

  it("grows the conversation list as the seller reaches its end", async () => {
    const t = setup({ conversations: Array.from({ length: 450 }, (_, i) => conversation(i + 1)) });
    await settle(40);
    const sidebar = t.container.querySelector<HTMLElement>(".sidebar")!;
    const view = layOut(sidebar);
    const asked = () => t.calls.filter((c) => c.command === "list_conversations").map((c) => [c.args.offset, c.args.limit]);
    const page = PAGES.conversations;
    expect(asked()).toEqual([[0, page]]);
    for (let i = 0; i < 30 && t.container.querySelector('[data-conversation-id="c450"]') === null; i++) {
      view.scrollTop = sidebar.scrollHeight;
      sidebar.dispatchEvent(new Event("scroll"));
      vi.advanceTimersToNextFrame();
      await settle(40);
    }
    // One query of the first rows, grown a page at a time (until it holds the 450th): a live
    // change refetches it once.
    expect(asked()).toEqual(Array.from({ length: Math.ceil(451 / page) }, (_, i) => [0, (i + 1) * page]));
    expect(t.container.querySelector('[data-conversation-id="c450"]')).not.toBeNull();
    expect(t.container.querySelectorAll(".conversation").length).toBeLessThanOrEqual(60);
  }, 30_000);

  it("opens a conversation: its thread, its header, and it is marked read", async () => {
    vi.spyOn(document, "hasFocus").mockReturnValue(true);
    const t = setup({ conversations: [conversation(1, { unreadCount: 2 })] });
    await settle(40);
    fireEvent.click(t.container.querySelector(".conversation")!);
    await settle(40);
    expect(t.app.state.route.conversationId).toBe("c1");
    expect(t.container.querySelector(".conversation-title")?.textContent).toBe("Buyer 1");
    expect(t.container.querySelectorAll(".message")).toHaveLength(20);
    expect(t.calls.some((c) => c.command === "mark_conversation_read" && c.args.conversationId === "c1")).toBe(true);
    expect(document.activeElement).toBe(t.container.querySelector(".composer-input"));
  });

  it("marks nothing read while the window is not focused, and the open conversation once it is", async () => {
    const focused = vi.spyOn(document, "hasFocus").mockReturnValue(false);
    const t = setup({ conversations: [conversation(1, { unreadCount: 2 })] });
    await settle(40);
    t.app.openConversation("c1");
    await settle(40);
    const marks = () => t.calls.filter((c) => c.command === "mark_conversation_read").length;
    expect(marks()).toBe(0);
    focused.mockReturnValue(true);
    window.dispatchEvent(new Event("focus"));
    await settle(10);
    expect(marks()).toBe(1);
    focused.mockRestore();
  });

  it("an incoming message in the open conversation costs at most two invokes", async () => {
    const t = setup();
    t.app.openConversation("c1");
    await settle(60);
    const live = liveRefetches(t.client, 125);
    t.thread.messages.push(message(20, { content: "new one" }));
    const before = t.calls.length;
    handleEvent(event({ unreadConversations: 0 }, { conversations: ["c1"] }), t.app, t.client, live, true);
    vi.advanceTimersByTime(125);
    await settle(60);
    const made = t.calls.slice(before).map((c) => c.command);
    expect(made.sort()).toEqual(["list_conversations", "list_messages"]);
    expect(t.container.querySelector('[data-message-id="m000020"]')?.textContent).toContain("new one");
  });

  it("a message in another conversation refetches the list only", async () => {
    const t = setup();
    t.app.openConversation("c1");
    await settle(60);
    const live = liveRefetches(t.client, 0);
    const before = t.calls.length;
    handleEvent(event({}, { conversations: ["c7"] }), t.app, t.client, live, true);
    vi.advanceTimersByTime(0);
    await settle(60);
    expect(t.calls.slice(before).map((c) => c.command)).toEqual(["list_conversations"]);
  });

  it("keeps a draft per conversation while the seller switches", async () => {
    const t = setup();
    t.app.openConversation("c1");
    await settle(40);
    const input = () => t.container.querySelector<HTMLTextAreaElement>(".composer-input")!;
    input().value = "half a reply";
    t.app.openConversation("c2");
    await settle(40);
    expect(input().value).toBe("");
    t.app.openConversation("c1");
    await settle(40);
    expect(input().value).toBe("half a reply");
  });

  it("sends with Enter, keeps Shift+Enter for a new line, and shows the queued message at once", async () => {
    const t = setup();
    t.app.openConversation("c1");
    await settle(40);
    const input = t.container.querySelector<HTMLTextAreaElement>(".composer-input")!;
    input.value = "hello";
    fireEvent.keyDown(input, { key: "Enter", shiftKey: true });
    await settle(10);
    expect(t.calls.some((c) => c.command === "send_message")).toBe(false);
    const fetches = t.calls.filter((c) => c.command === "list_messages").length;
    fireEvent.keyDown(input, { key: "Enter" });
    await settle(40);
    expect(t.calls.find((c) => c.command === "send_message")?.args).toEqual({ conversationId: "c1", content: "hello" });
    expect(input.value).toBe("");
    expect(t.calls.filter((c) => c.command === "list_messages").length).toBe(fetches + 1);
  });

  it("shows typing in the list and the header while the buyer types", async () => {
    const t = setup();
    t.app.openConversation("c1");
    await settle(40);
    t.app.applyEvent(event({ typing: [{ conversationId: "c1", userId: "b1", isTyping: true }] as never }), true);
    await settle(5);
    expect(t.container.querySelector(".conversation-subtitle")?.textContent).toBe("typing…");
    expect(t.container.querySelector('[data-conversation-id="c1"] .typing')?.textContent).toBe("typing…");
  });

  it("mutes and unmutes the open conversation", async () => {
    const t = setup();
    t.app.openConversation("c1");
    await settle(40);
    const button = screen.getByRole("button", { name: "Mute" });
    fireEvent.click(button);
    await settle(20);
    expect(t.calls.find((c) => c.command === "set_notification_settings")?.args).toMatchObject({
      settings: { mutedConversations: ["c1"] },
    });
    expect(button.textContent).toBe("Unmute");
    expect(button.getAttribute("aria-pressed")).toBe("true");
  });

  it("shows a buyer's markup as text", async () => {
    const t = setup({ conversations: [conversation(1, { lastMessage: { content: '<img src=x onerror="alert(1)">', timestamp: "2026-11-30T10:00:00Z" } })] });
    await settle(40);
    expect(t.container.querySelector(".conversation-preview")?.textContent).toBe('<img src=x onerror="alert(1)">');
    expect(t.container.querySelector("img")).toBeNull();
  });
});
