// The status filter chips above the orders: toggle buttons, the active one pressed.

import { For, type JSX } from "solid-js";
import { humanize } from "../../format";

/** Every status the marketplace is known to use. */
export const ORDER_FILTERS = ["pending", "confirmed", "processing", "shipped", "delivered", "completed", "cancelled", "refunded"];

export function OrderFilterBar(props: { filter: string | null; onFilter: (status: string | null) => void }): JSX.Element {
  const chip = (status: string | null) => (
    <button
      type="button"
      class="chip"
      aria-pressed={props.filter === status ? "true" : "false"}
      data-filter={status ?? "all"}
      onClick={() => props.onFilter(status)}
    >
      {status ? humanize(status) : "All"}
    </button>
  );
  return (
    <div class="filter-bar" role="group" aria-label="Show orders with status">
      {chip(null)}
      <For each={ORDER_FILTERS}>{(status) => chip(status)}</For>
    </div>
  );
}
