import { describe, expect, it } from "vitest";
import type { NotificationSettings } from "../bindings/NotificationSettings";
import { clock, minutes, renderSettings } from "./settings";
import { h } from "../dom";

function defaults(): NotificationSettings {
  return {
    categories: {
      newOrders: true,
      orderUpdates: true,
      payments: true,
      shipping: true,
      messages: true,
      userNotifications: true,
      systemHigh: true,
    },
    doNotDisturb: { on: false, schedule: null, includeMoney: false },
    mutedConversations: [],
    pausedUntil: null,
  };
}

describe("notification settings", () => {
  it("reads and writes quiet hours as HH:MM", () => {
    expect(clock(22 * 60)).toBe("22:00");
    expect(clock(7 * 60 + 5)).toBe("07:05");
    expect(minutes("22:30")).toBe(1350);
    expect(minutes("24:00")).toBeNull();
    expect(minutes("nope")).toBeNull();
  });

  it("saves each change as a whole new settings object", () => {
    // Connected: a checkbox only toggles on click inside a document.
    const container = document.body.appendChild(h("section"));
    const saved: NotificationSettings[] = [];
    const settings = defaults();
    renderSettings(container, settings, (next) => saved.push(next));
    const boxes = container.querySelectorAll<HTMLInputElement>("input[type=checkbox]");
    boxes[4]?.click(); // buyer messages off
    expect(saved[0]?.categories.messages).toBe(false);
    expect(settings.categories.messages).toBe(true); // the shown settings are not changed in place
    const schedule = Array.from(boxes).find((b) => b.parentElement?.textContent?.includes("Every day"));
    schedule?.click();
    expect(saved[1]?.doNotDisturb.schedule).toEqual({ startMinute: 1320, endMinute: 420 });
  });
});
