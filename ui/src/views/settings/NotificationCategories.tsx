// "Notify me about": one switch per kind of notification.

import type { JSX } from "solid-js";
import type { CategorySwitches } from "../../bindings/CategorySwitches";
import type { NotificationSettings } from "../../bindings/NotificationSettings";
import type { SettingsEditor } from "./editor";
import { SettingRow } from "./SettingRow";

const CATEGORIES: [keyof CategorySwitches, string, string][] = [
  ["newOrders", "New orders", "An order is placed"],
  ["orderUpdates", "Order status", "Confirmed, shipped, cancelled…"],
  ["payments", "Payments", "Received, failed or refunded"],
  ["shipping", "Deliveries", "Delivered or returned"],
  ["messages", "Buyer messages", "Unless that conversation is open in front of you"],
  ["userNotifications", "Marketplace notifications for you", "Reviews, reminders…"],
  ["systemHigh", "Urgent marketplace alerts", "High priority only; the rest stay in the app"],
];

export function NotificationCategories(props: { editor: SettingsEditor<NotificationSettings> }): JSX.Element {
  return (
    <fieldset class="settings-group">
      <legend>Notify me about</legend>
      {CATEGORIES.map(([key, label, hint]) => (
        <SettingRow
          label={label}
          hint={hint}
          checked={props.editor.shown().categories[key]}
          saving={props.editor.saving(`categories.${key}`)}
          onChange={(on) => props.editor.change(`categories.${key}`, (draft) => (draft.categories[key] = on))}
        />
      ))}
    </fieldset>
  );
}
