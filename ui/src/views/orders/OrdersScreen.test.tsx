import { cleanup, fireEvent, screen, waitFor } from "@solidjs/testing-library";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createAppState } from "../../app/state";
import type { OrderDetail } from "../../bindings/OrderDetail";
import { PAGES } from "../../bindings/pages";
import { keys } from "../../queries/keys";
import { mockCommands, renderWithApp } from "../../test-utils";
import { seriousViolations } from "../axe.test-util";
import { order, orderDetail, orders } from "./fixtures.test-util";
import { FLASH_MS, OrdersScreen } from "./OrdersScreen";

const hostile = `<img src=x onerror="window.pwned=1">`;

/** Orders by status: ord-1 shipped, ord-2 pending, ord-3 shipped. */
const ALL = [order("ord-1"), order("ord-2", { status: "pending" }), order("ord-3")];

function listOrders(all = ALL) {
  return (args: Record<string, unknown>) => {
    const status = args.status as string | null;
    const offset = args.offset as number;
    const limit = args.limit as number;
    return all.filter((o) => status === null || o.status === status).slice(offset, offset + limit);
  };
}

function rowIds(container: HTMLElement): string[] {
  return Array.from(container.querySelectorAll<HTMLElement>("tr[data-order-id]")).map((tr) => tr.dataset.orderId ?? "");
}

/** Lets answers of the mocked commands and the query client's notifications through. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await vi.advanceTimersByTimeAsync(0);
}

/** Records which elements were scrolled into view (jsdom has no scrollIntoView). */
function recordScrolls(): string[] {
  const scrolled: string[] = [];
  Element.prototype.scrollIntoView = function (this: Element) {
    scrolled.push(this.getAttribute("data-order-id") ?? this.tagName);
  };
  return scrolled;
}

afterEach(() => {
  cleanup();
  vi.useRealTimers();
  delete (Element.prototype as Partial<Element>).scrollIntoView;
});

describe("orders screen", () => {
  it("lists the orders with their payment and shipping, and filters them by status", async () => {
    const calls = mockCommands({ list_orders: listOrders() });
    const { container } = renderWithApp(() => <OrdersScreen />);
    await waitFor(() => expect(rowIds(container)).toEqual(["ord-1", "ord-2", "ord-3"]));
    expect(calls).toEqual([{ command: "list_orders", args: { status: null, limit: PAGES.orders, offset: 0 } }]);
    const first = container.querySelector('tr[data-order-id="ord-1"]');
    expect(first?.querySelector("td:nth-child(2) .pill")?.getAttribute("data-value")).toBe("shipped");
    expect(first?.textContent).toContain("Completed · Card");
    expect(first?.textContent).toContain("DHL · JJD000123");
    expect(screen.getByRole("button", { name: "All" })).toHaveAttribute("aria-pressed", "true");

    const shipped = screen.getByRole("button", { name: "Shipped" });
    expect(shipped).toHaveAttribute("aria-pressed", "false");
    fireEvent.click(shipped);
    expect(shipped).toHaveAttribute("aria-pressed", "true");
    expect(screen.getByRole("button", { name: "All" })).toHaveAttribute("aria-pressed", "false");
    await waitFor(() => expect(rowIds(container)).toEqual(["ord-1", "ord-3"]));
    expect(calls.at(-1)).toEqual({ command: "list_orders", args: { status: "shipped", limit: PAGES.orders, offset: 0 } });
    for (const pill of container.querySelectorAll("tr[data-order-id] td:nth-child(2) .pill")) expect(pill.getAttribute("data-value")).toBe("shipped");

    // Back to all: that page is cached, nothing is fetched again.
    fireEvent.click(screen.getByRole("button", { name: "All" }));
    await waitFor(() => expect(rowIds(container)).toEqual(["ord-1", "ord-2", "ord-3"]));
    expect(calls).toHaveLength(2);
  });

  it("opens an order from its row and shows its detail and timeline as text", async () => {
    const calls = mockCommands({ list_orders: listOrders(), order_detail: (args) => orderDetail(args.orderId as string) });
    const { container, app } = renderWithApp(() => <OrdersScreen />);
    await waitFor(() => expect(rowIds(container)).toHaveLength(3));
    expect(container.querySelector(".order-detail")).toBeNull();
    expect(container.querySelector(".orders-layout")).not.toHaveClass("with-detail");

    fireEvent.click(container.querySelector('tr[data-order-id="ord-2"] td:nth-child(3)') as HTMLElement);
    expect(app.state.route.orderId).toBe("ord-2");
    const detail = await waitFor(() => {
      const aside = container.querySelector<HTMLElement>('.order-detail[data-order-id="ord-2"]');
      expect(aside).not.toBeNull();
      return aside as HTMLElement;
    });
    expect(calls.filter((c) => c.command === "order_detail")).toEqual([{ command: "order_detail", args: { orderId: "ord-2" } }]);
    expect(container.querySelector(".orders-layout")).toHaveClass("with-detail");
    expect(detail).toHaveAccessibleName("Order ord-2");
    expect(container.querySelector("tr.selected")?.getAttribute("data-order-id")).toBe("ord-2");
    expect(container.querySelector('tr[data-order-id="ord-2"]')).toHaveAttribute("aria-selected", "true");
    expect(container.querySelector('tr[data-order-id="ord-1"]')).toHaveAttribute("aria-selected", "false");
    const entries = detail.querySelectorAll(".timeline-entry");
    expect(Array.from(entries).map((e) => e.getAttribute("data-kind"))).toEqual(["status", "payment", "shipping", "refund_dispute"]);
    // The reason arrived with markup in it: shown as the text it is.
    expect(detail.querySelector("b")).toBeNull();
    expect(detail.textContent).toContain("Reason: <b>stock checked</b>");
    expect(detail.textContent).toContain("Leipzig, DE (in transit)");
    expect(detail.textContent).toContain("tx-9");
    expect(await seriousViolations(container)).toEqual([]);
    // Opened here: already in view, not flashed.
    expect(container.querySelector(".flash")).toBeNull();

    // The keyboard way in: the row's button.
    fireEvent.click(screen.getByRole("button", { name: "Open order ord-3" }));
    expect(app.state.route.orderId).toBe("ord-3");
    await waitFor(() => expect(container.querySelector('.order-detail[data-order-id="ord-3"]')).not.toBeNull());

    fireEvent.click(screen.getByRole("button", { name: "Close the order" }));
    expect(app.state.route.orderId).toBeNull();
    expect(container.querySelector(".order-detail")).toBeNull();
  });

  it("shows a loading detail until it arrives, and says when a filter matches nothing", async () => {
    let answer: (detail: OrderDetail) => void = () => {};
    mockCommands({ list_orders: listOrders(), order_detail: () => new Promise<OrderDetail>((resolve) => (answer = resolve)) });
    const app = createAppState();
    app.openOrder("ord-1");
    const { container } = renderWithApp(() => <OrdersScreen />, { app });
    expect(container.querySelector(".order-detail")?.textContent).toBe("Loading…");
    fireEvent.click(screen.getByRole("button", { name: "Refunded" }));
    await waitFor(() => expect(container.querySelector(".empty")?.textContent).toBe("No refunded orders"));
    answer(orderDetail("ord-1"));
    await waitFor(() => expect(container.querySelector('.order-detail[data-order-id="ord-1"]')).not.toBeNull());
  });

  it("says when there are no orders at all", async () => {
    mockCommands({ list_orders: () => [] });
    const { container } = renderWithApp(() => <OrdersScreen />);
    await waitFor(() => expect(container.querySelector(".empty")?.textContent).toBe("No orders yet"));
    expect(container.querySelector(".load-more")).toBeNull();
  });

  it("shows more orders a page at a time", async () => {
    const all = orders(PAGES.orders + 3);
    const calls = mockCommands({ list_orders: listOrders(all) });
    const { container } = renderWithApp(() => <OrdersScreen />);
    await waitFor(() => expect(rowIds(container)).toHaveLength(PAGES.orders));
    // (Queried by class: role queries over hundreds of rows are slow in jsdom.)
    const more = container.querySelector<HTMLButtonElement>("button.load-more");
    expect(more?.textContent).toBe("Show more orders");
    fireEvent.click(more as HTMLButtonElement);
    await waitFor(() => expect(rowIds(container)).toHaveLength(PAGES.orders + 3));
    expect(rowIds(container).at(-1)).toBe(`ord-${PAGES.orders + 3}`);
    expect(calls.map((c) => c.args)).toEqual([
      { status: null, limit: PAGES.orders, offset: 0 },
      { status: null, limit: PAGES.orders, offset: PAGES.orders },
    ]);
    // The last page was not full: nothing more to show.
    expect(container.querySelector(".load-more")).toBeNull();
  });

  it("shows the list's and the detail's failures as text", async () => {
    mockCommands({
      list_orders: () => {
        throw { code: "CACHE_ERROR", message: `cache ${hostile}` };
      },
      order_detail: () => {
        throw { code: "ORDER_NOT_FOUND", message: "No such order" };
      },
    });
    const app = createAppState();
    app.openOrder("ord-9");
    const { container } = renderWithApp(() => <OrdersScreen />, { app });
    await waitFor(() => expect(screen.getAllByRole("alert")).toHaveLength(2));
    const [list, detail] = screen.getAllByRole("alert");
    expect(list.textContent).toBe(`cache ${hostile}`);
    expect(container.querySelector("img")).toBeNull();
    expect(detail.textContent).toBe("No such order");
    fireEvent.click(screen.getByRole("button", { name: "Close the order" }));
    expect(app.state.route.orderId).toBeNull();
  });

  it("refreshes the open order's detail, or the list, when the backend says that changed", async () => {
    let status = "shipped";
    const calls = mockCommands({ list_orders: listOrders(), order_detail: (args) => orderDetail(args.orderId as string, { status }) });
    const app = createAppState();
    app.openOrder("ord-1");
    const { container, client } = renderWithApp(() => <OrdersScreen />, { app });
    await waitFor(() => expect(container.querySelector(".order-detail-header .pill")?.getAttribute("data-value")).toBe("shipped"));
    status = "delivered";
    await client.invalidateQueries({ queryKey: keys.order("ord-1") });
    await waitFor(() => expect(container.querySelector(".order-detail-header .pill")?.getAttribute("data-value")).toBe("delivered"));
    // Only that order's detail was asked again, not the list.
    expect(calls.map((c) => c.command)).toEqual(["list_orders", "order_detail", "order_detail"]);
    // And a change to the list asks for the list only.
    await client.invalidateQueries({ queryKey: keys.orders() });
    await waitFor(() => expect(calls.map((c) => c.command)).toEqual(["list_orders", "order_detail", "order_detail", "list_orders"]));
  });

  it("shows server text as text, each with its own direction", async () => {
    const arabic = "طلب-٧";
    mockCommands({
      list_orders: () => [order(hostile, { status: hostile }), order(arabic)],
      order_detail: (args) => orderDetail(args.orderId as string, { status: hostile }),
    });
    const app = createAppState();
    app.openOrder(arabic);
    const { container } = renderWithApp(() => <OrdersScreen />, { app });
    await waitFor(() => expect(container.querySelector(".order-detail[data-order-id]")).not.toBeNull());
    await waitFor(() => expect(rowIds(container)).toEqual([hostile, arabic]));
    expect(container.querySelector("img")).toBeNull();
    expect(container.querySelector(".order-open")?.textContent).toBe(hostile);
    for (const selector of [".order-open", "td .pill", ".amount", ".order-detail h2", ".timeline-title", ".timeline-detail", ".fact dd"]) {
      const elements = container.querySelectorAll(selector);
      expect(elements.length, selector).toBeGreaterThan(0);
      for (const element of elements) expect(element, selector).toHaveAttribute("dir", "auto");
    }
    expect(container.querySelector(".order-detail h2")?.textContent).toBe(`Order ${arabic}`);
  });
});

describe("an order opened from elsewhere", () => {
  it("shows all orders again, scrolls its row into view and flashes it for a moment", async () => {
    vi.useFakeTimers();
    const scrolled = recordScrolls();
    mockCommands({ list_orders: listOrders(), order_detail: (args) => orderDetail(args.orderId as string) });
    const { container, app } = renderWithApp(() => <OrdersScreen />);
    await settle();
    fireEvent.click(screen.getByRole("button", { name: "Pending" }));
    await settle();
    expect(rowIds(container)).toEqual(["ord-2"]);

    // A notification click: ord-3 is shipped, not pending.
    app.navigate({ view: "order", id: "ord-3" });
    await settle();
    expect(screen.getByRole("button", { name: "All" })).toHaveAttribute("aria-pressed", "true");
    expect(rowIds(container)).toEqual(["ord-1", "ord-2", "ord-3"]);
    expect(scrolled).toEqual(["ord-3"]);
    const row = () => container.querySelector('tr[data-order-id="ord-3"]');
    expect(row()).toHaveClass("flash");
    expect(row()).toHaveClass("selected");
    expect(container.querySelectorAll(".flash")).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(FLASH_MS - 1);
    expect(row()).toHaveClass("flash");
    await vi.advanceTimersByTimeAsync(1);
    expect(row()).not.toHaveClass("flash");
    expect(row()).toHaveClass("selected");

    // Opening another from its row is not "from elsewhere".
    fireEvent.click(container.querySelector('tr[data-order-id="ord-1"]') as HTMLElement);
    await settle();
    expect(scrolled).toEqual(["ord-3"]);
    expect(container.querySelector(".flash")).toBeNull();
  });

  it("is revealed when the screen opens with it, once its page has loaded", async () => {
    vi.useFakeTimers();
    const scrolled = recordScrolls();
    let answer: (rows: ReturnType<typeof orders>) => void = () => {};
    mockCommands({ list_orders: () => new Promise((resolve) => (answer = resolve)), order_detail: (args) => orderDetail(args.orderId as string) });
    const app = createAppState();
    app.openOrder("ord-2");
    const { container } = renderWithApp(() => <OrdersScreen />, { app });
    await settle();
    expect(container.textContent).toContain("Loading orders…");
    expect(scrolled).toEqual([]);
    answer(orders(3));
    await settle();
    expect(scrolled).toEqual(["ord-2"]);
    expect(container.querySelector('tr[data-order-id="ord-2"]')).toHaveClass("flash");
    await vi.advanceTimersByTimeAsync(FLASH_MS);
    expect(container.querySelector(".flash")).toBeNull();
  });

  it("flashes nothing when its row is not among the loaded orders", async () => {
    vi.useFakeTimers();
    const scrolled = recordScrolls();
    mockCommands({ list_orders: listOrders(), order_detail: (args) => orderDetail(args.orderId as string) });
    const { container, app } = renderWithApp(() => <OrdersScreen />);
    await settle();
    app.openOrder("ord-404");
    await settle();
    expect(scrolled).toEqual([]);
    expect(container.querySelector(".flash")).toBeNull();
    expect(container.querySelector('.order-detail[data-order-id="ord-404"]')).not.toBeNull();
  });
});
