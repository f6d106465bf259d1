import { describe, expect, it } from "vitest";
import { T, orderDetail } from "./fixtures.test-util";
import { timelineLines, when } from "./timeline";

describe("order timeline", () => {
  it("says who changed the status, what was paid and where the parcel is", () => {
    const lines = timelineLines(orderDetail().timeline);
    expect(lines.map((l) => l.kind)).toEqual(["status", "payment", "shipping", "refund_dispute"]);
    expect(lines[0].title).toBe("Confirmed (was pending)");
    expect(lines[0].details).toEqual(["By seller-1 (user)", "Reason: <b>stock checked</b>"]);
    expect(lines[1].title).toMatch(/^Payment completed: .*24[.,]99/);
    expect(lines[1].details).toEqual(["By card", "Transaction tx-9"]);
    expect(lines[2].title).toBe("Shipping: in transit");
    expect(lines[2].details).toEqual(["DHL, tracking JJD000123", "Leipzig, DE: in transit"]);
    expect(lines[3].title).toBe("Refund dispute event");
    expect(lines[3].details).toEqual(['{"note":"newer event"}']);
    expect(lines.every((l) => l.at === T)).toBe(true);
  });

  it("adds tracking and the expected delivery a status change carries, and leaves out what is missing", () => {
    const [status, payment, shipping, unknown] = timelineLines([
      {
        kind: "status",
        at: T,
        status: {
          orderId: "o",
          status: "shipped",
          previousStatus: "processing",
          timestamp: T,
          updatedBy: { id: "ops", role: "admin" },
          metadata: { trackingNumber: "TR-1", estimatedDelivery: "2026-12-03T10:00:00Z" },
        },
      },
      { kind: "payment", at: T, payment: { orderId: "o", status: "pending", amount: 5, currency: "USD", paymentMethod: "bank_transfer", timestamp: T } },
      { kind: "shipping", at: T, shipping: { orderId: "o", status: "label_created" } },
      { kind: "mystery", at: T },
    ]);
    expect(status.details).toEqual(["By ops (admin)", "Tracking TR-1", `Expected ${when("2026-12-03T10:00:00Z")}`]);
    expect(payment.details).toEqual(["By bank transfer"]);
    expect(shipping.title).toBe("Shipping: label created");
    expect(shipping.details).toEqual([]);
    expect(unknown).toEqual({ kind: "mystery", at: T, title: "Mystery event", details: [] });
  });

  it("reads no date out of a missing or broken timestamp", () => {
    expect(when(null)).toBe("");
    expect(when("not a date")).toBe("");
    expect(when(T)).not.toBe("");
  });
});
