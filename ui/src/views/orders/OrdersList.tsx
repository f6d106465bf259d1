// The orders with one status (or all), a page at a time, and the row to bring into view. One
// instance per filter: another filter is another list, starting again from its first page.

import { type JSX, createEffect } from "solid-js";
import { commands } from "../../bindings/commands";
import { PAGES } from "../../bindings/pages";
import { humanize } from "../../format";
import { keys } from "../../queries/keys";
import { createPagedList } from "../../queries/paged";
import { ShowMore } from "../ShowMore";
import { OrdersTable } from "./OrdersTable";
import { PagedContent } from "../../components/PagedContent";

export type OrdersListProps = {
  /** Fixed for the list's life (the screen makes a new list for another filter). */
  status: string | null;
  selectedId: string | null;
  flashedId: string | null;
  /** An order to scroll into view once its row is loaded. */
  revealId: string | null;
  /** The reveal is over: the row was scrolled to (`found`), or the loaded orders lack it. */
  onRevealed: (orderId: string, found: boolean) => void;
  onOpen: (orderId: string) => void;
};

export function OrdersList(props: OrdersListProps): JSX.Element {
  const status = props.status;
  const list = createPagedList(() => ({
    key: (page: number) => keys.orderPage(status, page),
    fetch: (limit: number, offset: number) => commands.listOrders(status, limit, offset),
    pageSize: PAGES.orders,
    keyOf: (row) => row.id,
  }));

  let table: HTMLDivElement | undefined;
  createEffect(() => {
    const orderId = props.revealId;
    const rows = list.rows();
    // Nothing loaded yet (or nothing at all): wait for rows rather than give up early.
    if (!orderId || rows.length === 0) return;
    if (!rows.some((order) => order.id === orderId)) {
      if (!list.loading()) props.onRevealed(orderId, false);
      return;
    }
    // Effects run after the DOM is updated: the row is in the table now.
    const row = Array.from(table?.querySelectorAll<HTMLElement>("tr[data-order-id]") ?? []).find((tr) => tr.dataset.orderId === orderId);
    row?.scrollIntoView?.({ block: "center" });
    props.onRevealed(orderId, row !== undefined);
  });

  return (
    <div class="orders-table" ref={table}>
      <PagedContent list={list} loading="Loading orders…" empty={<p class="empty">{status ? `No ${humanize(status).toLowerCase()} orders` : "No orders yet"}</p>}>
          <OrdersTable orders={list.rows()} selectedId={props.selectedId} flashedId={props.flashedId} onOpen={props.onOpen} />
      </PagedContent>
      <ShowMore list={list} label="Show more orders" />
    </div>
  );
}
