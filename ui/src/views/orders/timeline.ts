// An order's timeline as lines the seller reads: what happened, and the details that came with it.
// Pure, so the wording is tested without rendering.

import type { TimelineEntry } from "../../bindings/TimelineEntry";
import { humanize, money } from "../../format";

/** A date and time in the seller's locale; "" for a missing or unreadable timestamp. */
export function when(iso: string | null | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "" : date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/** One line of the timeline: what happened, and the details that came with it. */
export type TimelineLine = { kind: string; at: string; title: string; details: string[] };

function present(values: (string | null)[]): string[] {
  return values.filter((value): value is string => value !== null);
}

export function timelineLines(entries: TimelineEntry[]): TimelineLine[] {
  return entries.map((entry) => {
    const at = entry.at;
    if (entry.status) {
      const s = entry.status;
      return {
        kind: "status",
        at,
        title: `${humanize(s.status)} (was ${humanize(s.previousStatus).toLowerCase()})`,
        details: present([
          `By ${s.updatedBy.id} (${humanize(s.updatedBy.role).toLowerCase()})`,
          s.metadata?.reason ? `Reason: ${s.metadata.reason}` : null,
          s.metadata?.trackingNumber ? `Tracking ${s.metadata.trackingNumber}` : null,
          s.metadata?.estimatedDelivery ? `Expected ${when(s.metadata.estimatedDelivery)}` : null,
        ]),
      };
    }
    if (entry.payment) {
      const p = entry.payment;
      return {
        kind: "payment",
        at,
        title: `Payment ${humanize(p.status).toLowerCase()}: ${money(p.amount, p.currency)}`,
        details: present([`By ${humanize(p.paymentMethod).toLowerCase()}`, p.transactionId ? `Transaction ${p.transactionId}` : null]),
      };
    }
    if (entry.shipping) {
      const s = entry.shipping;
      return {
        kind: "shipping",
        at,
        title: `Shipping: ${humanize(s.status).toLowerCase()}`,
        details: present([
          [s.carrier, s.trackingNumber ? `tracking ${s.trackingNumber}` : null].filter(Boolean).join(", ") || null,
          s.location ? `${s.location.city}, ${s.location.country}: ${humanize(s.location.status).toLowerCase()}` : null,
          s.estimatedDelivery ? `Expected ${when(s.estimatedDelivery)}` : null,
        ]),
      };
    }
    // A kind this version cannot read: shown as received, as text.
    return { kind: entry.kind, at, title: `${humanize(entry.kind)} event`, details: entry.raw ? [JSON.stringify(entry.raw)] : [] };
  });
}
