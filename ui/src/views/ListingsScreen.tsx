// The Listings section: price, availability and status as the marketplace last sent them, stock
// with low stock highlighted (the backend lists those first), and views per period; a page at a
// time.

import { For, type JSX, Show } from "solid-js";
import { commands } from "../bindings/commands";
import type { ListingView } from "../bindings/ListingView";
import { PAGES } from "../bindings/pages";
import type { JsonValue } from "../bindings/serde_json/JsonValue";
import { humanize, money, shortTime } from "../format";
import { keys } from "../queries/keys";
import { createPagedList } from "../queries/paged";
import { ShowMore } from "./ShowMore";
import { PagedContent } from "../components/PagedContent";

const PERIODS = ["24h", "7d", "30d"] as const;
const COLUMNS = ["Listing", "Price", "Availability", "Status", "Stock", "Views 24h", "7d", "30d", "Updated"];

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

function StockCell(props: { listing: ListingView }): JSX.Element {
  return (
    <Show when={props.listing.stock} fallback={<span class="muted">—</span>}>
      {(stock) => (
        <span class="stack">
          <span class="amount">{String(stock().quantity)}</span>
          <span class="pill" data-value={stock().status ?? "none"} dir="auto">
            {`${humanize(stock().status)}${stock().threshold !== null ? ` (alert at ${stock().threshold})` : ""}`}
          </span>
        </span>
      )}
    </Show>
  );
}

function ListingRow(props: { listing: ListingView }): JSX.Element {
  return (
    <tr data-listing-id={props.listing.id} classList={{ "low-stock": props.listing.lowStock }}>
      <td class="order-id" dir="auto">
        {props.listing.id}
      </td>
      <td dir="auto">{fieldText(props.listing.price)}</td>
      <td dir="auto">{fieldText(props.listing.availability)}</td>
      <td dir="auto">{fieldText(props.listing.status)}</td>
      <td>
        <StockCell listing={props.listing} />
      </td>
      <For each={PERIODS}>
        {(period) => {
          const count = () => props.listing.views[period];
          return (
            <td class="views" title={count() ? `${count()?.uniqueViews} unique` : undefined}>
              {count()?.views.toLocaleString() ?? "—"}
            </td>
          );
        }}
      </For>
      <td class="muted time">{shortTime(props.listing.updatedAt)}</td>
    </tr>
  );
}

export function ListingsScreen(): JSX.Element {
  const list = createPagedList(() => ({
    key: keys.listingPage,
    fetch: (limit: number, offset: number) => commands.listListings(limit, offset),
    pageSize: PAGES.listings,
    keyOf: (row) => row.id,
  }));
  return (
    <section class="orders-pane">
      {/* Named for screen readers; the shell moves the focus here when the section opens. */}
      <h2 class="visually-hidden">Listings</h2>
      <PagedContent list={list} loading="Loading listings…" empty={<p class="empty">No listing updates yet</p>}>
          <table class="orders listings">
            <thead>
              <tr>
                <For each={COLUMNS}>{(title) => <th scope="col">{title}</th>}</For>
              </tr>
            </thead>
            <tbody>
              <For each={list.rows()}>{(listing) => <ListingRow listing={listing} />}</For>
            </tbody>
          </table>
      </PagedContent>
      <ShowMore list={list} label="Show more listings" />
    </section>
  );
}
