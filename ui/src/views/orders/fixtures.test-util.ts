// Orders as the backend returns them, for the orders tests.

import type { OrderDetail } from "../../bindings/OrderDetail";
import type { OrderView } from "../../bindings/OrderView";

export const T = "2026-11-26T06:49:09.823Z";

/** A shipped order paid by card, in transit with DHL, with a timeline of every kind (and an unknown one). */
export function orderDetail(id = "ord-1", overrides: Partial<OrderDetail> = {}): OrderDetail {
  return {
    id,
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
          orderId: id,
          status: "confirmed",
          previousStatus: "pending",
          timestamp: T,
          updatedBy: { id: "seller-1", role: "user" },
          metadata: { reason: "<b>stock checked</b>" },
        },
      },
      { kind: "payment", at: T, payment: { orderId: id, status: "completed", amount: 24.99, currency: "EUR", paymentMethod: "card", timestamp: T, transactionId: "tx-9" } },
      {
        kind: "shipping",
        at: T,
        shipping: { orderId: id, status: "in_transit", carrier: "DHL", trackingNumber: "JJD000123", location: { city: "Leipzig", country: "DE", status: "in_transit" } },
      },
      { kind: "refund_dispute", at: T, raw: { note: "newer event" } },
    ],
    ...overrides,
  };
}

export function order(id: string, overrides: Partial<OrderView> = {}): OrderView {
  const { timeline: _timeline, ...view } = orderDetail(id);
  return { ...view, ...overrides };
}

/** `count` orders ord-<from>, ord-<from+1>, ... */
export function orders(count: number, from = 1, overrides: Partial<OrderView> = {}): OrderView[] {
  return Array.from({ length: count }, (_, i) => order(`ord-${from + i}`, overrides));
}
