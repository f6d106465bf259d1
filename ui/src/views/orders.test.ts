import { describe, expect, it } from "vitest";
import type { OrderDetail } from "../bindings/OrderDetail";
import type { OrderView } from "../bindings/OrderView";
import { type OrdersHandlers, renderOrders, timelineLines } from "./orders";

const T = "2026-11-26T06:49:09.823Z";

function detail(): OrderDetail {
  return {
    id: "ord-1",
    status: "shipped",
    statusAt: T,
    updatedAt: T,
    payment: { status: "completed", amount: 24.99, currency: "EUR", paymentMethod: "card", transactionId: "tx-9", timestamp: T },
    shipping: {
      status: "in_transit",
      carrier: "DHL",
      trackingNumber: "JJD000123",
      estimatedDelivery: null,
      location: { city: "Leipzig", country: "DE", status: "in_transit" },
    },
    timeline: [
      {
        kind: "status",
        at: T,
        status: {
          orderId: "ord-1",
          status: "confirmed",
          previousStatus: "pending",
          timestamp: T,
          updatedBy: { id: "seller-1", role: "user" },
          metadata: { reason: "<b>stock checked</b>" },
        },
      },
      { kind: "payment", at: T, payment: { orderId: "ord-1", status: "completed", amount: 24.99, currency: "EUR", paymentMethod: "card", timestamp: T, transactionId: "tx-9" } },
      {
        kind: "shipping",
        at: T,
        shipping: { orderId: "ord-1", status: "in_transit", carrier: "DHL", trackingNumber: "JJD000123", location: { city: "Leipzig", country: "DE", status: "in_transit" } },
      },
      { kind: "refund_dispute", at: T, raw: { note: "newer event" } },
    ],
  };
}

function order(id: string): OrderView {
  const d = detail();
  return { id, status: d.status, statusAt: d.statusAt, payment: d.payment, shipping: d.shipping, updatedAt: d.updatedAt };
}

function handlers(log: string[]): OrdersHandlers {
  return {
    onFilter: (status) => log.push(`filter:${status}`),
    onSelect: (id) => log.push(`select:${id}`),
    onClose: () => log.push("close"),
    onMore: () => log.push("more"),
  };
}

describe("order timeline", () => {
  it("says who changed the status, what was paid and where the parcel is", () => {
    const lines = timelineLines(detail().timeline);
    expect(lines.map((l) => l.kind)).toEqual(["status", "payment", "shipping", "refund_dispute"]);
    expect(lines[0].title).toBe("Confirmed (was pending)");
    expect(lines[0].details).toEqual(["By seller-1 (user)", "Reason: <b>stock checked</b>"]);
    expect(lines[1].title).toMatch(/^Payment completed: .*24[.,]99/);
    expect(lines[1].details).toEqual(["By card", "Transaction tx-9"]);
    expect(lines[2].title).toBe("Shipping: in transit");
    expect(lines[2].details).toEqual(["DHL, tracking JJD000123", "Leipzig, DE: in transit"]);
    expect(lines[3].title).toBe("Refund dispute event");
  });
});

describe("orders screen", () => {
  it("filters, opens an order and shows its timeline as text", () => {
    const log: string[] = [];
    const pane = document.createElement("section");
    renderOrders(pane, { orders: [order("ord-1"), order("ord-2")], filter: null, selected: null, detail: null, canLoadMore: true }, handlers(log));
    pane.querySelector<HTMLButtonElement>('.chip[data-filter="shipped"]')?.click();
    pane.querySelector<HTMLElement>('tr[data-order-id="ord-2"]')?.click();
    pane.querySelector<HTMLButtonElement>(".load-more")?.click();
    expect(log).toEqual(["filter:shipped", "select:ord-2", "more"]);
    expect(pane.querySelector(".order-detail")).toBeNull();

    renderOrders(pane, { orders: [order("ord-1")], filter: "shipped", selected: "ord-1", detail: detail(), canLoadMore: false }, handlers(log));
    expect(pane.querySelector('.chip[data-filter="shipped"]')?.getAttribute("aria-pressed")).toBe("true");
    expect(pane.querySelector("tr.selected")?.getAttribute("data-order-id")).toBe("ord-1");
    const entries = pane.querySelectorAll(".order-detail .timeline-entry");
    expect(entries).toHaveLength(4);
    expect(pane.querySelector("b")).toBeNull();
    expect(pane.querySelector(".order-detail")?.textContent).toContain("Leipzig, DE (in transit)");
    expect(pane.querySelector(".load-more")).toBeNull();
  });

  it("says when a filter matches nothing, and shows a loading detail until it arrives", () => {
    const pane = document.createElement("section");
    renderOrders(pane, { orders: [], filter: "refunded", selected: "ord-1", detail: null, canLoadMore: false }, handlers([]));
    expect(pane.querySelector(".empty")?.textContent).toBe("No refunded orders");
    expect(pane.querySelector(".order-detail")?.textContent).toBe("Loading…");
  });
});
