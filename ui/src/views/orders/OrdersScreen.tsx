// The Orders section: the orders filtered by status and the open order's detail beside them.
// Which order is open is app state (route.orderId): a notification click, a sellerdesk:// link
// or search open one from elsewhere, and then its row is shown among all orders and flashed.

import { type JSX, Show, batch, createEffect, createMemo, createSignal, on, onCleanup } from "solid-js";
import { useApp } from "../../app/context";
import { OrderDetailPane } from "./OrderDetailPane";
import { OrderFilterBar } from "./OrderFilterBar";
import { OrdersList } from "./OrdersList";

/** How long a row opened from elsewhere stays highlighted (the `flash` animation's length). */
export const FLASH_MS = 2_000;

export function OrdersScreen(): JSX.Element {
  const app = useApp();
  /** Only orders with this status; null: all. */
  const [filter, setFilter] = createSignal<string | null>(null);
  /** A new object per filter, so that each filter gets its own list. */
  const listFor = createMemo(() => ({ status: filter() }));

  // An order the seller opened from this list is in view already: only one opened from
  // elsewhere is revealed.
  let openedHere: string | null = null;
  function openFromList(orderId: string): void {
    if (orderId !== app.state.route.orderId) openedHere = orderId;
    app.openOrder(orderId);
  }

  const [revealId, setRevealId] = createSignal<string | null>(null);
  const [flashedId, setFlashedId] = createSignal<string | null>(null);
  let flashTimer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(flashTimer));

  function showFilter(status: string | null): void {
    batch(() => {
      setRevealId(null);
      setFilter(status);
    });
  }

  createEffect(
    on(
      () => app.state.route.orderId,
      (orderId) => {
        const here = openedHere;
        openedHere = null;
        if (orderId === here) return;
        // The order may not have the status filtered on: it is looked for among all.
        batch(() => {
          setFilter(null);
          setRevealId(orderId);
        });
      },
    ),
  );

  function revealed(orderId: string, found: boolean): void {
    if (revealId() !== orderId) return;
    batch(() => {
      setRevealId(null);
      if (!found) return;
      clearTimeout(flashTimer);
      setFlashedId(orderId);
      flashTimer = setTimeout(() => setFlashedId(null), FLASH_MS);
    });
  }

  return (
    <section class="orders-pane orders-screen">
      <div class="orders-layout" classList={{ "with-detail": app.state.route.orderId !== null }}>
        <div class="orders-list">
          {/* Named for screen readers; the shell moves the focus here when the section opens. */}
          <h2 class="visually-hidden">Orders</h2>
          <OrderFilterBar filter={filter()} onFilter={showFilter} />
          <Show when={listFor()} keyed>
            {(current) => (
              <OrdersList
                status={current.status}
                selectedId={app.state.route.orderId}
                flashedId={flashedId()}
                revealId={revealId()}
                onRevealed={revealed}
                onOpen={openFromList}
              />
            )}
          </Show>
        </div>
        <Show when={app.state.route.orderId}>
          {(orderId) => <OrderDetailPane orderId={orderId()} onClose={() => app.openOrder(null)} />}
        </Show>
      </div>
    </section>
  );
}
