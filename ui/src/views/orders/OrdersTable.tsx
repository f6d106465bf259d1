// The orders as a table: one row per order, the open one selected, one briefly flashed when it
// was opened from elsewhere (a notification, a link, search).

import { For, type JSX, Show } from "solid-js";
import type { OrderView } from "../../bindings/OrderView";
import { humanize, money, shortTime } from "../../format";
import { Pill } from "./Pill";

export type OrdersTableProps = {
  orders: OrderView[];
  selectedId: string | null;
  flashedId: string | null;
  onOpen: (orderId: string) => void;
};

function PaymentCell(props: { order: OrderView }): JSX.Element {
  return (
    <Show when={props.order.payment} fallback={<span class="muted">—</span>}>
      {(payment) => (
        <span class="stack">
          <span class="amount" dir="auto">
            {money(payment().amount, payment().currency)}
          </span>
          <span class="muted" dir="auto">{`${humanize(payment().status)} · ${humanize(payment().paymentMethod)}`}</span>
        </span>
      )}
    </Show>
  );
}

function ShippingCell(props: { order: OrderView }): JSX.Element {
  return (
    <Show when={props.order.shipping} fallback={<span class="muted">—</span>}>
      {(shipping) => (
        <span class="stack">
          <Pill value={shipping().status} />
          <span class="muted" dir="auto">
            {[shipping().carrier, shipping().trackingNumber].filter(Boolean).join(" · ") || "No tracking yet"}
          </span>
        </span>
      )}
    </Show>
  );
}

function OrderRow(props: { order: OrderView; selected: boolean; flashed: boolean; onOpen: (orderId: string) => void }): JSX.Element {
  return (
    <tr
      data-order-id={props.order.id}
      classList={{ selected: props.selected, flash: props.flashed }}
      aria-selected={props.selected ? "true" : "false"}
      onClick={() => props.onOpen(props.order.id)}
    >
      <td class="order-id">
        {/* The row is clickable for the mouse; this button is its keyboard and screen reader way in. */}
        <button type="button" class="link order-open" aria-label={`Open order ${props.order.id}`} dir="auto">
          {props.order.id}
        </button>
      </td>
      <td>
        <Pill value={props.order.status} />
      </td>
      <td>
        <PaymentCell order={props.order} />
      </td>
      <td>
        <ShippingCell order={props.order} />
      </td>
      <td class="muted time">{shortTime(props.order.updatedAt)}</td>
    </tr>
  );
}

export function OrdersTable(props: OrdersTableProps): JSX.Element {
  return (
    <table class="orders">
      <thead>
        <tr>
          <For each={["Order", "Status", "Payment", "Shipping", "Updated"]}>{(title) => <th scope="col">{title}</th>}</For>
        </tr>
      </thead>
      <tbody>
        <For each={props.orders}>
          {(order) => (
            <OrderRow
              order={order}
              selected={order.id === props.selectedId}
              flashed={order.id === props.flashedId}
              onOpen={props.onOpen}
            />
          )}
        </For>
      </tbody>
    </table>
  );
}
