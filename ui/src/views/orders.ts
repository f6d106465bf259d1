// Orders: the list (filtered by status, a page at a time) and the selected order's detail with
// its timeline of status changes, payments and shipping.

import type { OrderDetail } from "../bindings/OrderDetail";
import type { OrderView } from "../bindings/OrderView";
import type { TimelineEntry } from "../bindings/TimelineEntry";
import { h, replaceChildren } from "../dom";
import { humanize, money, shortTime } from "../format";

/** The filter chips: every status the marketplace is known to use. */
export const ORDER_FILTERS = ["pending", "confirmed", "processing", "shipped", "delivered", "completed", "cancelled", "refunded"];

export type OrdersState = {
  orders: OrderView[];
  /** Only orders with this status; null: all. */
  filter: string | null;
  selected: string | null;
  /** The selected order's detail; null while it loads (or when none is selected). */
  detail: OrderDetail | null;
  /** The last page was full: there may be more. */
  canLoadMore: boolean;
};

export type OrdersHandlers = {
  onFilter(status: string | null): void;
  onSelect(orderId: string): void;
  onClose(): void;
  onMore(): void;
};

function pill(value: string | null | undefined): HTMLElement {
  return h("span", { class: "pill", "data-value": value ?? "none" }, humanize(value));
}

function when(iso: string | null | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "" : date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/** One line of the timeline: what happened, and the details that came with it. */
export type TimelineLine = { kind: string; at: string; title: string; details: string[] };

export function timelineLines(entries: TimelineEntry[]): TimelineLine[] {
  return entries.map((entry) => {
    const at = entry.at;
    if (entry.status) {
      const s = entry.status;
      const details = [
        `By ${s.updatedBy.id} (${humanize(s.updatedBy.role).toLowerCase()})`,
        s.metadata?.reason ? `Reason: ${s.metadata.reason}` : null,
        s.metadata?.trackingNumber ? `Tracking ${s.metadata.trackingNumber}` : null,
        s.metadata?.estimatedDelivery ? `Expected ${when(s.metadata.estimatedDelivery)}` : null,
      ];
      return {
        kind: "status",
        at,
        title: `${humanize(s.status)} (was ${humanize(s.previousStatus).toLowerCase()})`,
        details: details.filter((d): d is string => d !== null),
      };
    }
    if (entry.payment) {
      const p = entry.payment;
      return {
        kind: "payment",
        at,
        title: `Payment ${humanize(p.status).toLowerCase()}: ${money(p.amount, p.currency)}`,
        details: [`By ${humanize(p.paymentMethod).toLowerCase()}`, p.transactionId ? `Transaction ${p.transactionId}` : null].filter(
          (d): d is string => d !== null,
        ),
      };
    }
    if (entry.shipping) {
      const s = entry.shipping;
      const details = [
        [s.carrier, s.trackingNumber ? `tracking ${s.trackingNumber}` : null].filter(Boolean).join(", ") || null,
        s.location ? `${s.location.city}, ${s.location.country}: ${humanize(s.location.status).toLowerCase()}` : null,
        s.estimatedDelivery ? `Expected ${when(s.estimatedDelivery)}` : null,
      ];
      return {
        kind: "shipping",
        at,
        title: `Shipping: ${humanize(s.status).toLowerCase()}`,
        details: details.filter((d): d is string => d !== null),
      };
    }
    // A kind this version cannot read: shown as received, as text.
    return { kind: entry.kind, at, title: `${humanize(entry.kind)} event`, details: entry.raw ? [JSON.stringify(entry.raw)] : [] };
  });
}

function filterBar(state: OrdersState, handlers: OrdersHandlers): HTMLElement {
  const chip = (status: string | null) => {
    const active = state.filter === status;
    const button = h(
      "button",
      { type: "button", class: "chip", "aria-pressed": String(active), "data-filter": status ?? "all" },
      status ? humanize(status) : "All",
    );
    button.addEventListener("click", () => handlers.onFilter(status));
    return button;
  };
  return h("div", { class: "filter-bar", role: "group", "aria-label": "Show orders with status" }, chip(null), ...ORDER_FILTERS.map(chip));
}

function orderRow(order: OrderView, state: OrdersState, handlers: OrdersHandlers): HTMLElement {
  const open = h("button", { type: "button", class: "link order-open", "aria-label": `Open order ${order.id}` }, order.id);
  const row = h(
    "tr",
    { "data-order-id": order.id, class: order.id === state.selected ? "selected" : undefined, "aria-selected": String(order.id === state.selected) },
    h("td", { class: "order-id" }, open),
    h("td", {}, pill(order.status)),
    h(
      "td",
      {},
      order.payment
        ? h(
            "span",
            { class: "stack" },
            h("span", { class: "amount" }, money(order.payment.amount, order.payment.currency)),
            h("span", { class: "muted" }, `${humanize(order.payment.status)} · ${humanize(order.payment.paymentMethod)}`),
          )
        : h("span", { class: "muted" }, "—"),
    ),
    h(
      "td",
      {},
      order.shipping
        ? h(
            "span",
            { class: "stack" },
            pill(order.shipping.status),
            h("span", { class: "muted" }, [order.shipping.carrier, order.shipping.trackingNumber].filter(Boolean).join(" · ") || "No tracking yet"),
          )
        : h("span", { class: "muted" }, "—"),
    ),
    h("td", { class: "muted time" }, shortTime(order.updatedAt)),
  );
  row.addEventListener("click", () => handlers.onSelect(order.id));
  return row;
}

function fact(label: string, value: string | null | undefined): HTMLElement | null {
  return value ? h("div", { class: "fact" }, h("dt", {}, label), h("dd", {}, value)) : null;
}

/** The selected order: its current state, then everything that happened to it. */
export function orderDetailElement(detail: OrderDetail, handlers: OrdersHandlers): HTMLElement {
  const close = h("button", { type: "button", class: "ghost", "aria-label": "Close the order" }, "✕");
  close.addEventListener("click", () => handlers.onClose());
  const payment = detail.payment;
  const shipping = detail.shipping;
  const lines = timelineLines(detail.timeline);
  return h(
    "aside",
    { class: "order-detail", "aria-label": `Order ${detail.id}`, "data-order-id": detail.id },
    h("header", { class: "order-detail-header" }, h("h2", {}, `Order ${detail.id}`), pill(detail.status), close),
    h(
      "dl",
      { class: "facts" },
      fact("Status since", when(detail.statusAt)),
      fact("Payment", payment ? `${money(payment.amount, payment.currency)} · ${humanize(payment.status)} · ${humanize(payment.paymentMethod)}` : "None yet"),
      fact("Transaction", payment?.transactionId),
      fact("Shipping", shipping ? humanize(shipping.status) : "Not shipped"),
      fact("Carrier", shipping?.carrier),
      fact("Tracking", shipping?.trackingNumber),
      fact("Expected", when(shipping?.estimatedDelivery)),
      fact("Last seen", shipping?.location ? `${shipping.location.city}, ${shipping.location.country} (${humanize(shipping.location.status).toLowerCase()})` : null),
    ),
    h("h3", {}, "Timeline"),
    lines.length === 0
      ? h("p", { class: "muted" }, "Nothing received for this order yet")
      : h(
          "ol",
          { class: "timeline" },
          ...lines.map((line) =>
            h(
              "li",
              { class: "timeline-entry", "data-kind": line.kind },
              h("time", { datetime: line.at }, when(line.at)),
              h("span", { class: "timeline-title" }, line.title),
              ...line.details.map((d) => h("span", { class: "muted timeline-detail" }, d)),
            ),
          ),
        ),
  );
}

export function renderOrders(container: HTMLElement, state: OrdersState, handlers: OrdersHandlers): void {
  const more = h("button", { type: "button", class: "ghost load-more" }, "Show more orders");
  more.addEventListener("click", () => handlers.onMore());
  const list =
    state.orders.length === 0
      ? h("p", { class: "empty" }, state.filter ? `No ${humanize(state.filter).toLowerCase()} orders` : "No orders yet")
      : h(
          "table",
          { class: "orders" },
          h("thead", {}, h("tr", {}, ...["Order", "Status", "Payment", "Shipping", "Updated"].map((t) => h("th", { scope: "col" }, t)))),
          h("tbody", {}, ...state.orders.map((order) => orderRow(order, state, handlers))),
        );
  const detail = state.selected
    ? state.detail && state.detail.id === state.selected
      ? orderDetailElement(state.detail, handlers)
      : h("aside", { class: "order-detail" }, h("p", { class: "muted" }, "Loading…"))
    : null;
  // Live updates re-render the pane: each part keeps its scroll position, so nothing jumps.
  const listScroll = container.querySelector(".orders-list")?.scrollTop ?? 0;
  const shown = container.querySelector<HTMLElement>(".order-detail");
  const detailScroll = shown && shown.dataset.orderId === state.selected ? shown.scrollTop : 0;
  const listPart = h("div", { class: "orders-list" }, filterBar(state, handlers), list, state.canLoadMore ? more : null);
  replaceChildren(container, h("div", { class: `orders-layout${detail ? " with-detail" : ""}` }, listPart, detail));
  listPart.scrollTop = listScroll;
  if (detail) detail.scrollTop = detailScroll;
}
