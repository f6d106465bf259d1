import { describe, expect, it } from "vitest";
import type { ListingView } from "../bindings/ListingView";
import type { NotificationView } from "../bindings/NotificationView";
import { h } from "../dom";
import { fieldText, renderListings } from "./listings";
import { renderNotifications } from "./notifications";

const hostile = `<img src=x onerror="window.pwned=1">`;

function listing(overrides: Partial<ListingView> = {}): ListingView {
  return {
    id: "lst-1",
    price: { amount: 24.5, currency: "EUR" },
    availability: "in_stock",
    status: "active",
    changedAt: null,
    priceChangedAt: null,
    availabilityChangedAt: null,
    statusChangedAt: null,
    stock: { quantity: 2, status: "low_stock", threshold: 5 },
    lowStock: true,
    views: { "24h": { views: 12, uniqueViews: 9 }, "30d": { views: 1200, uniqueViews: 800 } },
    updatedAt: "2026-11-26T06:49:09.823Z",
    ...overrides,
  };
}

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

describe("listings", () => {
  it("reads the marketplace's field shapes", () => {
    expect(fieldText(null)).toBe("—");
    expect(fieldText("out_of_stock")).toBe("Out of stock");
    expect(fieldText({ amount: 3, currency: "USD" })).toContain("3");
    expect(fieldText({ weird: [1] })).toBe('{"weird":[1]}');
  });

  it("highlights low stock and shows views per period", () => {
    const container = h("section");
    renderListings(container, [listing(), listing({ id: "lst-2", lowStock: false, stock: null, views: {} })]);
    const rows = container.querySelectorAll("tbody tr");
    expect(rows).toHaveLength(2);
    expect(rows[0]?.classList.contains("low-stock")).toBe(true);
    expect(rows[1]?.classList.contains("low-stock")).toBe(false);
    expect(rows[0]?.textContent).toContain("Low stock (alert at 5)");
    expect(rows[0]?.textContent).toContain("1,200");
  });
});

describe("notification center", () => {
  it("shows server text as text, the action without following it, and marks read", () => {
    const container = document.body.appendChild(h("section"));
    const marked: string[] = [];
    let all = 0;
    renderNotifications(container, [notification(), notification({ id: "n2", source: "user", kind: "order", priority: null, action: null, read: true })], {
      markRead: (id) => marked.push(id),
      markAllRead: () => all++,
    });
    expect(container.querySelector("img")).toBeNull();
    expect(container.textContent).toContain(hostile);
    expect(container.querySelector("a")).toBeNull();
    expect(container.textContent).toContain("Link: Details (https://status.example.com)");
    const unread = container.querySelectorAll("li.notification.unread");
    expect(unread).toHaveLength(1);
    container.querySelector<HTMLButtonElement>("li.unread button")?.click();
    expect(marked).toEqual(["n1"]);
    container.querySelector<HTMLButtonElement>(".notifications-header button")?.click();
    expect(all).toBe(1);
  });
});
