// Settings: which notifications the seller gets, do not disturb and quiet hours, the desktop
// and conversation preferences, and the seller's data (folder, cache size, clearing, sign out).
// Every change is saved at once (the backend applies it to the running session).

import type { CategorySwitches } from "../bindings/CategorySwitches";
import type { DesktopPreferences } from "../bindings/DesktopPreferences";
import type { NotificationSettings } from "../bindings/NotificationSettings";
import type { CacheStats } from "../bindings/CacheStats";
import { h, replaceChildren } from "../dom";
import { counted, humanBytes } from "../format";

const CATEGORIES: [keyof CategorySwitches, string, string][] = [
  ["newOrders", "New orders", "An order is placed"],
  ["orderUpdates", "Order status", "Confirmed, shipped, cancelled…"],
  ["payments", "Payments", "Received, failed or refunded"],
  ["shipping", "Deliveries", "Delivered or returned"],
  ["messages", "Buyer messages", "Unless that conversation is open in front of you"],
  ["userNotifications", "Marketplace notifications for you", "Reviews, reminders…"],
  ["systemHigh", "Urgent marketplace alerts", "High priority only; the rest stay in the app"],
];

/** "HH:MM" for minutes after midnight. */
export function clock(minutes: number): string {
  const m = ((minutes % 1440) + 1440) % 1440;
  return `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
}

/** Minutes after midnight for "HH:MM", or null. */
export function minutes(text: string): number | null {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!match) return null;
  const [hours, mins] = [Number(match[1]), Number(match[2])];
  return hours < 24 && mins < 60 ? hours * 60 + mins : null;
}

function checkbox(label: string, hint: string | null, checked: boolean, onChange: (checked: boolean) => void): HTMLElement {
  const input = h("input", { type: "checkbox" });
  input.checked = checked;
  input.addEventListener("change", () => onChange(input.checked));
  return h(
    "label",
    { class: "setting" },
    input,
    h("span", { class: "setting-text" }, h("span", {}, label), hint ? h("span", { class: "muted" }, hint) : null),
  );
}

/** What the cache statistics' kinds are called on screen: one, and more than one. */
const KIND_NAMES: Record<string, [string, string]> = {
  conversations: ["conversation", "conversations"],
  messages: ["message", "messages"],
  orders: ["order", "orders"],
  orderEvents: ["order event", "order events"],
  listings: ["listing", "listings"],
  notifications: ["notification", "notifications"],
  presence: ["buyer status", "buyer statuses"],
  outbox: ["unsent message", "unsent messages"],
  attachments: ["attachment file", "attachment files"],
};

/** The "Your data" part of settings. */
export type DataSection = {
  dataDir: string;
  /** Null while loading. */
  stats: CacheStats | null;
  /** What the last clearing did. */
  note: string | null;
  canSignOut: boolean;
  /** "Sign out", or "Leave the demo" in the demo. */
  signOutLabel?: string;
  onClear: () => void;
  onSignOut: () => void;
};

/** Data folder, cache size, clearing the cache (after a confirmation) and signing out. */
export function dataGroup(data: DataSection): HTMLElement {
  const clear = h("button", { type: "button", class: "ghost", "aria-expanded": "false" }, "Clear cache…");
  const confirmClear = h("button", { type: "button", class: "danger" }, "Clear");
  const cancel = h("button", { type: "button", class: "ghost" }, "Cancel");
  const confirmation = h(
    "div",
    { class: "confirm-row", role: "group", "aria-label": "Confirm clearing the cache", hidden: true },
    h("span", {}, "Everything received is removed from this computer and loads again from the marketplace. Messages not sent yet are kept."),
    confirmClear,
    cancel,
  );
  clear.addEventListener("click", () => {
    confirmation.hidden = false;
    clear.setAttribute("aria-expanded", "true");
    cancel.focus();
  });
  cancel.addEventListener("click", () => {
    confirmation.hidden = true;
    clear.setAttribute("aria-expanded", "false");
    clear.focus();
  });
  confirmClear.addEventListener("click", () => {
    confirmation.hidden = true;
    data.onClear();
  });
  const signOut = h("button", { type: "button", class: "ghost sign-out" }, data.signOutLabel ?? "Sign out");
  signOut.addEventListener("click", () => data.onSignOut());
  const stats = data.stats;
  const size = stats
    ? `${humanBytes(stats.fileBytes + (stats.kinds.find((k) => k.kind === "attachments")?.bytes ?? 0))} on disk · ${stats.kinds
        .filter((k) => k.rows > 0 && k.kind !== "searchIndex")
        .map((k) => counted(k.rows, ...(KIND_NAMES[k.kind] ?? [k.kind, k.kind])))
        .join(", ") || "empty"}`
    : "Measuring…";
  return h(
    "fieldset",
    { class: "settings-group data-settings" },
    h("legend", {}, "Your data"),
    h("p", { class: "setting-line" }, h("span", {}, "Data folder"), h("code", { class: "data-dir", title: data.dataDir }, data.dataDir)),
    h("p", { class: "setting-line" }, h("span", {}, "Cache"), h("span", { class: "muted cache-size" }, size)),
    data.note ? h("p", { class: "muted cache-note", role: "status" }, data.note) : null,
    h("div", { class: "setting-actions" }, clear, data.canSignOut ? signOut : null),
    confirmation,
  );
}

export function renderSettings(
  container: HTMLElement,
  settings: NotificationSettings,
  onChange: (next: NotificationSettings) => void,
  desktop: DesktopPreferences | null = null,
  onDesktopChange: (next: DesktopPreferences) => void = () => {},
  data: DataSection | null = null,
): void {
  const update = (change: (draft: NotificationSettings) => void) => {
    // Plain data: a JSON round trip is a deep copy.
    const next = JSON.parse(JSON.stringify(settings)) as NotificationSettings;
    change(next);
    onChange(next);
  };
  const categories = CATEGORIES.map(([key, label, hint]) =>
    checkbox(label, hint, settings.categories[key], (on) => update((d) => (d.categories[key] = on))),
  );
  const dnd = settings.doNotDisturb;
  const schedule = dnd.schedule ?? null;
  const timeInput = (value: number, onSet: (m: number) => void, label: string) => {
    const input = h("input", { type: "time", value: clock(value), "aria-label": label, disabled: schedule === null });
    input.addEventListener("change", () => {
      const m = minutes(input.value);
      if (m !== null) onSet(m);
    });
    return input;
  };
  replaceChildren(
    container,
    h("h2", {}, "Notifications"),
    h("fieldset", { class: "settings-group" }, h("legend", {}, "Notify me about"), ...categories),
    h(
      "fieldset",
      { class: "settings-group" },
      h("legend", {}, "Do not disturb"),
      checkbox("Do not disturb now", "Until you switch it off", dnd.on, (on) => update((d) => (d.doNotDisturb.on = on))),
      checkbox("Every day, quietly between", null, schedule !== null, (on) =>
        update((d) => (d.doNotDisturb.schedule = on ? { startMinute: 22 * 60, endMinute: 7 * 60 } : null)),
      ),
      h(
        "div",
        { class: "quiet-hours" },
        timeInput(schedule?.startMinute ?? 22 * 60, (m) => update((d) => d.doNotDisturb.schedule && (d.doNotDisturb.schedule.startMinute = m)), "Quiet from"),
        h("span", { class: "muted" }, "and"),
        timeInput(schedule?.endMinute ?? 7 * 60, (m) => update((d) => d.doNotDisturb.schedule && (d.doNotDisturb.schedule.endMinute = m)), "Quiet until"),
      ),
      checkbox(
        "Orders and payments too",
        "By default they still notify while you are not to be disturbed",
        dnd.includeMoney,
        (on) => update((d) => (d.doNotDisturb.includeMoney = on)),
      ),
    ),
    desktop
      ? h(
          "fieldset",
          { class: "settings-group" },
          h("legend", {}, "Desktop"),
          checkbox(
            "Keep running in the tray when the window closes",
            "Orders and messages still arrive and notify; Quit from the tray menu",
            desktop.closeToTray,
            (on) => onDesktopChange({ ...desktop, closeToTray: on }),
          ),
          checkbox("Start Seller Desk when I log in", null, desktop.startAtLogin, (on) =>
            onDesktopChange({ ...desktop, startAtLogin: on }),
          ),
        )
      : null,
    desktop
      ? h(
          "fieldset",
          { class: "settings-group" },
          h("legend", {}, "Conversations"),
          checkbox("Show when a buyer is typing", null, desktop.showTyping, (on) => onDesktopChange({ ...desktop, showTyping: on })),
          checkbox(
            "Show when buyers have read my messages",
            "Off: read messages show as delivered (✓)",
            desktop.showReadReceipts,
            (on) => onDesktopChange({ ...desktop, showReadReceipts: on }),
          ),
          checkbox(
            "Load image previews automatically",
            "Off: a preview loads only when you click it (nothing is fetched from a buyer's link until then)",
            desktop.loadPreviewsAutomatically,
            (on) => onDesktopChange({ ...desktop, loadPreviewsAutomatically: on }),
          ),
        )
      : null,
    data ? dataGroup(data) : null,
    settings.mutedConversations.length > 0
      ? h("p", { class: "muted" }, `${settings.mutedConversations.length} muted conversation(s); unmute them from their header.`)
      : null,
  );
}
