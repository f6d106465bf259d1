// The orders table: status, payment and shipping of each order.

import type { OrderView } from "../bindings/OrderView";
import { h, replaceChildren } from "../dom";
import { humanize, money, shortTime } from "../format";

function pill(value: string | null | undefined): HTMLElement {
  return h("span", { class: "pill", "data-value": value ?? "none" }, humanize(value));
}

export function renderOrders(container: HTMLElement, orders: OrderView[]): void {
  if (orders.length === 0) {
    replaceChildren(container, h("p", { class: "empty" }, "No orders yet"));
    return;
  }
  const rows = orders.map((order) =>
    h(
      "tr",
      { "data-order-id": order.id },
      h("td", { class: "order-id" }, order.id),
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
              h(
                "span",
                { class: "muted" },
                [order.shipping.carrier, order.shipping.trackingNumber].filter(Boolean).join(" · ") || "No tracking yet",
              ),
            )
          : h("span", { class: "muted" }, "—"),
      ),
      h("td", { class: "muted time" }, shortTime(order.updatedAt)),
    ),
  );
  replaceChildren(
    container,
    h(
      "table",
      { class: "orders" },
      h("thead", {}, h("tr", {}, ...["Order", "Status", "Payment", "Shipping", "Updated"].map((t) => h("th", {}, t)))),
      h("tbody", {}, ...rows),
    ),
  );
}
