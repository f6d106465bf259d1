// Settings: which notifications the seller gets, do not disturb, and quiet hours. Every change
// is saved at once (the backend applies it to the running session).

import type { CategorySwitches } from "../bindings/CategorySwitches";
import type { DesktopPreferences } from "../bindings/DesktopPreferences";
import type { NotificationSettings } from "../bindings/NotificationSettings";
import { h, replaceChildren } from "../dom";

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

export function renderSettings(
  container: HTMLElement,
  settings: NotificationSettings,
  onChange: (next: NotificationSettings) => void,
  desktop: DesktopPreferences | null = null,
  onDesktopChange: (next: DesktopPreferences) => void = () => {},
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
    settings.mutedConversations.length > 0
      ? h("p", { class: "muted" }, `${settings.mutedConversations.length} muted conversation(s); unmute them from their header.`)
      : null,
  );
}
