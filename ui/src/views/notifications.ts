// The notification center: the marketplace's system notifications (with their action and expiry;
// expired ones never arrive here) and the seller's own notifications, unread first.

import type { NotificationView } from "../bindings/NotificationView";
import { h, replaceChildren } from "../dom";
import { humanize, shortTime } from "../format";

export type NotificationHandlers = {
  markRead: (id: string) => void;
  markAllRead: () => void;
};

function actionLine(item: NotificationView): HTMLElement | null {
  const action = item.action;
  if (!action) return null;
  // Shown, never followed automatically: the URL is text the seller can read first.
  return h(
    "span",
    { class: "notification-action muted" },
    `${humanize(action.type)}: ${action.label}`,
    action.url ? h("span", { class: "action-url" }, ` (${action.url})`) : null,
  );
}

export function renderNotifications(container: HTMLElement, items: NotificationView[], handlers: NotificationHandlers): void {
  if (items.length === 0) {
    replaceChildren(container, h("p", { class: "empty" }, "No notifications"));
    return;
  }
  const unread = items.filter((n) => !n.read).length;
  const markAll = h("button", { type: "button", class: "ghost", disabled: unread === 0 }, "Mark all read");
  markAll.addEventListener("click", () => handlers.markAllRead());
  const list = items.map((item) => {
    const markRead = item.read ? null : h("button", { type: "button", class: "link", "aria-label": `Mark "${item.title}" read` }, "Mark read");
    markRead?.addEventListener("click", () => handlers.markRead(item.id));
    const tags = [item.source === "system" ? "Marketplace" : "For you", humanize(item.kind)];
    if (item.priority) tags.push(`${humanize(item.priority)} priority`);
    return h(
      "li",
      {
        class: `notification${item.read ? "" : " unread"}`,
        "data-notification-id": item.id,
        "data-priority": item.priority ?? undefined,
      },
      h(
        "div",
        { class: "notification-top" },
        h("span", { class: "notification-title" }, item.title),
        h("time", { class: "muted", datetime: item.timestamp }, shortTime(item.timestamp)),
      ),
      h("p", { class: "notification-message" }, item.message),
      h(
        "div",
        { class: "notification-meta muted" },
        tags.join(" · "),
        item.expiresAt ? ` · until ${shortTime(item.expiresAt)}` : "",
      ),
      actionLine(item),
      markRead,
    );
  });
  replaceChildren(
    container,
    h("div", { class: "notifications-header" }, h("h2", {}, "Notifications"), markAll),
    h("ol", { class: "notifications", "aria-label": "Notifications" }, ...list),
  );
}
