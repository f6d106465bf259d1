import { describe, expect, it } from "vitest";
import type { DesktopPreferences } from "../bindings/DesktopPreferences";
import type { NotificationSettings } from "../bindings/NotificationSettings";
import { clock, dataGroup, minutes, renderSettings } from "./settings";
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

describe("image previews setting", () => {
  it("is on by default in the conversation settings, and a click saves it off", () => {
    const container = document.body.appendChild(h("section"));
    const saved: DesktopPreferences[] = [];
    const desktop: DesktopPreferences = {
      closeToTray: true,
      startAtLogin: false,
      showTyping: true,
      showReadReceipts: true,
      loadPreviewsAutomatically: true,
    };
    renderSettings(container, defaults(), () => {}, desktop, (next) => saved.push(next));
    const box = Array.from(container.querySelectorAll<HTMLInputElement>("input[type=checkbox]")).find((b) =>
      b.parentElement?.textContent?.includes("Load image previews automatically"),
    );
    expect(box?.checked).toBe(true);
    box?.click();
    expect(saved).toEqual([{ ...desktop, loadPreviewsAutomatically: false }]);
    container.remove();
  });

  it("counts the attachment files in the cache size", () => {
    const group = document.body.appendChild(
      dataGroup({
        dataDir: "/d",
        stats: {
          kinds: [
            { kind: "messages", rows: 2, bytes: 1_000 },
            { kind: "attachments", rows: 3, bytes: 2 * 1024 * 1024 },
          ],
          totalRows: 5,
          totalBytes: 2 * 1024 * 1024 + 1_000,
          fileBytes: 1024 * 1024,
          bytesSource: "dbstat",
        },
        note: null,
        canSignOut: false,
        onClear: () => {},
        onSignOut: () => {},
      }),
    );
    expect(group.querySelector(".cache-size")?.textContent).toBe("3.0 MB on disk · 2 messages, 3 attachment files");
    group.remove();
  });

  it("names one of a kind in the singular", () => {
    const group = document.body.appendChild(
      dataGroup({
        dataDir: "/d",
        stats: {
          kinds: [
            { kind: "conversations", rows: 1, bytes: 100 },
            { kind: "presence", rows: 1, bytes: 100 },
            { kind: "attachments", rows: 1, bytes: 1024 },
          ],
          totalRows: 3,
          totalBytes: 1224,
          fileBytes: 4096,
          bytesSource: "dbstat",
        },
        note: null,
        canSignOut: false,
        onClear: () => {},
        onSignOut: () => {},
      }),
    );
    expect(group.querySelector(".cache-size")?.textContent).toBe("5.0 KB on disk · 1 conversation, 1 buyer status, 1 attachment file");
    group.remove();
  });
});

describe("your data", () => {
  const stats = {
    kinds: [
      { kind: "messages", rows: 1200, bytes: 400_000 },
      { kind: "orderEvents", rows: 30, bytes: 9_000 },
      { kind: "searchIndex", rows: 1200, bytes: 100_000 },
      { kind: "listings", rows: 0, bytes: 0 },
    ],
    totalRows: 2430,
    totalBytes: 509_000,
    fileBytes: 3 * 1024 * 1024,
    bytesSource: "dbstat",
  };

  it("shows the folder and the cache size, and clears only after a confirmation", () => {
    const cleared: number[] = [];
    const group = document.body.appendChild(
      dataGroup({ dataDir: "/home/s/.local/share/sellerdesk", stats, note: null, canSignOut: false, onClear: () => cleared.push(1), onSignOut: () => {} }),
    );
    expect(group.querySelector(".data-dir")?.textContent).toBe("/home/s/.local/share/sellerdesk");
    expect(group.querySelector(".cache-size")?.textContent).toBe("3.0 MB on disk · 1,200 messages, 30 order events");
    expect(Array.from(group.querySelectorAll("button"), (b) => b.textContent)).not.toContain("Sign out");
    const button = (text: string) => Array.from(group.querySelectorAll("button")).find((b) => b.textContent === text);
    const confirmation = group.querySelector<HTMLElement>(".confirm-row");
    expect(confirmation?.hidden).toBe(true);
    button("Clear cache…")?.click();
    expect(confirmation?.hidden).toBe(false);
    button("Cancel")?.click();
    expect(cleared).toHaveLength(0);
    button("Clear cache…")?.click();
    button("Clear")?.click();
    expect(cleared).toHaveLength(1);
    group.remove();
  });

  it("offers sign out to a live account", () => {
    const out: number[] = [];
    const group = dataGroup({ dataDir: "/d", stats: null, note: "Cleared", canSignOut: true, onClear: () => {}, onSignOut: () => out.push(1) });
    expect(group.querySelector(".cache-size")?.textContent).toBe("Measuring…");
    expect(group.querySelector(".cache-note")?.textContent).toBe("Cleared");
    Array.from(group.querySelectorAll("button")).find((b) => b.textContent === "Sign out")?.click();
    expect(out).toEqual([1]);
  });
});
