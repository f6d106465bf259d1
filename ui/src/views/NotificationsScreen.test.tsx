import { cleanup, fireEvent, screen, waitFor } from "@solidjs/testing-library";
import { afterEach, describe, expect, it } from "vitest";
import type { NotificationView } from "../bindings/NotificationView";
import { PAGES } from "../bindings/pages";
import { mockCommands, renderWithApp } from "../test-utils";
import { NotificationsScreen } from "./NotificationsScreen";
import { seriousViolations } from "./axe.test-util";

const hostile = `<img src=x onerror="window.pwned=1">`;

function notification(overrides: Partial<NotificationView> = {}): NotificationView {
  return {
    id: "n1",
    source: "system",
    kind: "maintenance",
    title: "Maintenance tonight",
    message: hostile,
    priority: "high",
    action: { type: "link", label: "Details", url: "https://status.example.com" },
    expiresAt: "2026-11-27T06:00:00.000Z",
    metadata: null,
    read: false,
    timestamp: "2026-11-26T06:49:09.823Z",
    ...overrides,
  };
}

const READ_ORDER = notification({ id: "n2", source: "user", kind: "order", title: "Order shipped", priority: null, action: null, expiresAt: null, read: true, metadata: { orderId: "ord-1" } });

/** The backend's notifications: marking read changes what the next list shows. */
function backend(items: NotificationView[]) {
  const store = items.map((n) => ({ ...n }));
  return {
    list_notifications: (args: Record<string, unknown>) => {
      const offset = args.offset as number;
      return store.slice(offset, offset + (args.limit as number)).map((n) => ({ ...n }));
    },
    mark_notification_read: (args: Record<string, unknown>) => {
      const item = store.find((n) => n.id === args.id);
      if (item) item.read = true;
      return item !== undefined;
    },
    mark_all_notifications_read: () => {
      const unread = store.filter((n) => !n.read);
      for (const n of unread) n.read = true;
      return unread.length;
    },
  };
}

function ids(container: HTMLElement, selector = "li.notification"): string[] {
  return Array.from(container.querySelectorAll<HTMLElement>(selector)).map((li) => li.dataset.notificationId ?? "");
}

afterEach(() => cleanup());

describe("notification center", () => {
  it("shows server text as text, the action without following it, and who it is from", async () => {
    const calls = mockCommands(backend([notification(), READ_ORDER]));
    const { container } = renderWithApp(() => <NotificationsScreen />);
    await waitFor(() => expect(ids(container)).toEqual(["n1", "n2"]));
    expect(calls).toEqual([{ command: "list_notifications", args: { limit: PAGES.notifications, offset: 0 } }]);
    expect(container.querySelector("img")).toBeNull();
    expect(container.querySelector(".notification-message")?.textContent).toBe(hostile);
    expect(container.querySelector("a")).toBeNull();
    expect(container.textContent).toContain("Link: Details (https://status.example.com)");
    const [system, user] = container.querySelectorAll("li.notification");
    expect(system).toHaveClass("unread");
    expect(system).toHaveAttribute("data-priority", "high");
    expect(system?.querySelector(".notification-meta")?.textContent).toMatch(/^Marketplace · Maintenance · High priority · until /);
    expect(user).not.toHaveClass("unread");
    expect(user).not.toHaveAttribute("data-priority");
    expect(user?.querySelector(".notification-meta")?.textContent).toBe("For you · Order");
    expect(user?.querySelector("button")).toBeNull();
    expect(user?.querySelector(".notification-action")).toBeNull();
    expect(screen.getByRole("list", { name: "Notifications" })).toBe(container.querySelector("ol.notifications"));
    expect(await seriousViolations(container)).toEqual([]);
  });

  it("marks one read, shows the list as the backend has it then, and keeps the focus on the list", async () => {
    const third = notification({ id: "n3", title: "Payout sent", priority: "low" });
    const calls = mockCommands(backend([notification(), third, READ_ORDER]));
    const { container } = renderWithApp(() => <NotificationsScreen />);
    await waitFor(() => expect(ids(container, "li.unread")).toEqual(["n1", "n3"]));
    const button = screen.getByRole("button", { name: "Mark read: Maintenance tonight" });
    button.focus();
    fireEvent.click(button);
    await waitFor(() => expect(ids(container, "li.unread")).toEqual(["n3"]));
    expect(calls.map((c) => c.command)).toEqual(["list_notifications", "mark_notification_read", "list_notifications"]);
    expect(calls[1]?.args).toEqual({ id: "n1" });
    // The button went with its notification's unread state: the next one to mark has the focus.
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole("button", { name: "Mark read: Payout sent" })));

    fireEvent.click(screen.getByRole("button", { name: "Mark read: Payout sent" }));
    await waitFor(() => expect(ids(container, "li.unread")).toEqual([]));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole("heading", { name: "Notifications" })));
  });

  it("marks all read once, however often it is clicked while that is under way", async () => {
    let release: () => void = () => {};
    const server = backend([notification(), notification({ id: "n3", title: "Payout sent" }), READ_ORDER]);
    const calls = mockCommands({
      ...server,
      mark_all_notifications_read: () => new Promise((resolve) => (release = () => resolve(server.mark_all_notifications_read()))),
    });
    const { container } = renderWithApp(() => <NotificationsScreen />);
    await waitFor(() => expect(ids(container, "li.unread")).toHaveLength(2));
    const markAll = screen.getByRole("button", { name: "Mark all read" });
    expect(markAll).toBeEnabled();
    markAll.focus();
    fireEvent.click(markAll);
    await waitFor(() => expect(markAll.textContent).toBe("Marking…"));
    expect(markAll).toHaveAttribute("aria-disabled", "true");
    fireEvent.click(markAll);
    release();
    await waitFor(() => expect(ids(container, "li.unread")).toEqual([]));
    expect(calls.filter((c) => c.command === "mark_all_notifications_read")).toHaveLength(1);
    expect(calls.filter((c) => c.command === "list_notifications")).toHaveLength(2);
    await waitFor(() => expect(screen.getByRole("button", { name: "Mark all read" })).toBeDisabled());
    // The focused button went disabled: the focus is on the section's heading, not lost.
    expect(document.activeElement).toBe(screen.getByRole("heading", { name: "Notifications" }));
  });

  it("says why marking failed, and leaves the list as it was", async () => {
    const calls = mockCommands({
      ...backend([notification()]),
      mark_notification_read: () => {
        throw { code: "CACHE_ERROR", message: "The cache is read-only" };
      },
    });
    const { container, app } = renderWithApp(() => <NotificationsScreen />);
    await waitFor(() => expect(ids(container, "li.unread")).toEqual(["n1"]));
    fireEvent.click(screen.getByRole("button", { name: "Mark read: Maintenance tonight" }));
    await waitFor(() => expect(app.state.problem?.text).toBe("The cache is read-only"));
    expect(ids(container, "li.unread")).toEqual(["n1"]);
    expect(screen.getByRole("button", { name: "Mark read: Maintenance tonight" }).textContent).toBe("Mark read");
    expect(calls.filter((c) => c.command === "list_notifications")).toHaveLength(1);
  });

  it("pages past the first page", async () => {
    const all = Array.from({ length: PAGES.notifications + 1 }, (_, i) => notification({ id: `n${i + 1}`, title: `Note ${i + 1}`, read: true }));
    const calls = mockCommands(backend(all));
    const { container } = renderWithApp(() => <NotificationsScreen />);
    await waitFor(() => expect(ids(container)).toHaveLength(PAGES.notifications));
    const more = container.querySelector<HTMLButtonElement>("button.load-more");
    expect(more?.textContent).toBe("Show more notifications");
    fireEvent.click(more as HTMLButtonElement);
    await waitFor(() => expect(ids(container)).toHaveLength(PAGES.notifications + 1));
    expect(ids(container).at(-1)).toBe(`n${PAGES.notifications + 1}`);
    expect(calls.map((c) => c.args)).toEqual([
      { limit: PAGES.notifications, offset: 0 },
      { limit: PAGES.notifications, offset: PAGES.notifications },
    ]);
    expect(container.querySelector(".load-more")).toBeNull();
  });

  it("says when there are none, and why they could not be read", async () => {
    mockCommands(backend([]));
    const { container } = renderWithApp(() => <NotificationsScreen />);
    await waitFor(() => expect(container.querySelector(".empty")?.textContent).toBe("No notifications"));
    expect(screen.getByRole("button", { name: "Mark all read" })).toBeDisabled();
    cleanup();
    mockCommands({
      list_notifications: () => {
        throw { code: "CACHE_ERROR", message: hostile };
      },
    });
    const failed = renderWithApp(() => <NotificationsScreen />);
    await waitFor(() => expect(failed.container.querySelector("[role=alert]")?.textContent).toBe(hostile));
    expect(failed.container.querySelector("img")).toBeNull();
  });

  it("gives every piece of server text its own direction", async () => {
    mockCommands(backend([notification({ title: "تم شحن الطلب", message: "שלום" })]));
    const { container } = renderWithApp(() => <NotificationsScreen />);
    await waitFor(() => expect(ids(container)).toEqual(["n1"]));
    for (const selector of [".notification-title", ".notification-message", ".notification-meta", ".notification-action", ".action-url"]) {
      expect(container.querySelector(selector), selector).toHaveAttribute("dir", "auto");
    }
    expect(container.querySelector(".notification-title")?.textContent).toBe("تم شحن الطلب");
  });
});
