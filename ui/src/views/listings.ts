// Listings: price, availability and status as the marketplace last sent them, stock with low
// stock highlighted (the backend lists those first), and views per period.

import type { JsonValue } from "../bindings/serde_json/JsonValue";
import type { ListingView } from "../bindings/ListingView";
import { h, replaceChildren } from "../dom";
import { humanize, money, shortTime } from "../format";

const PERIODS = ["24h", "7d", "30d"] as const;

/** A listing field as the marketplace sent it: a number, text, or an amount with its currency. */
export function fieldText(value: JsonValue | null): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "number") return value.toLocaleString();
  if (typeof value === "string") return humanize(value);
  if (typeof value === "boolean") return value ? "Yes" : "No";
  if (!Array.isArray(value) && typeof value.amount === "number" && typeof value.currency === "string") {
    return money(value.amount, value.currency);
  }
  return JSON.stringify(value);
}

function stockCell(listing: ListingView): HTMLElement {
  const stock = listing.stock;
  if (!stock) return h("span", { class: "muted" }, "—");
  const threshold = stock.threshold !== null ? ` (alert at ${stock.threshold})` : "";
  return h(
    "span",
    { class: "stack" },
    h("span", { class: "amount" }, String(stock.quantity)),
    h("span", { class: "pill", "data-value": stock.status ?? "none" }, `${humanize(stock.status)}${threshold}`),
  );
}

export function renderListings(container: HTMLElement, listings: ListingView[]): void {
  if (listings.length === 0) {
    replaceChildren(container, h("p", { class: "empty" }, "No listing updates yet"));
    return;
  }
  const rows = listings.map((listing) =>
    h(
      "tr",
      { "data-listing-id": listing.id, class: listing.lowStock ? "low-stock" : undefined },
      h("td", { class: "order-id" }, listing.id),
      h("td", {}, fieldText(listing.price)),
      h("td", {}, fieldText(listing.availability)),
      h("td", {}, fieldText(listing.status)),
      h("td", {}, stockCell(listing)),
      ...PERIODS.map((period) => {
        const count = listing.views[period];
        return h(
          "td",
          { class: "views", title: count ? `${count.uniqueViews} unique` : undefined },
          count ? count.views.toLocaleString() : "—",
        );
      }),
      h("td", { class: "muted time" }, shortTime(listing.updatedAt)),
    ),
  );
  replaceChildren(
    container,
    h(
      "table",
      { class: "orders listings" },
      h(
        "thead",
        {},
        h("tr", {}, ...["Listing", "Price", "Availability", "Status", "Stock", "Views 24h", "7d", "30d", "Updated"].map((t) => h("th", {}, t))),
      ),
      h("tbody", {}, ...rows),
    ),
  );
}
