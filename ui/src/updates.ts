// Live updates only say what changed; the UI then refetches those views from the cache. This
// module decides what to refetch and makes sure refetches never overlap or pile up.

import type { UiEvent } from "./bindings/UiEvent";

export type RefreshPlan = {
  info: boolean;
  conversations: boolean;
  /** The open conversation's messages. */
  messages: boolean;
  orders: boolean;
  listings: boolean;
  /** The notification center and its unread count. */
  notifications: boolean;
};

export const NOTHING: RefreshPlan = Object.freeze({
  info: false,
  conversations: false,
  messages: false,
  orders: false,
  listings: false,
  notifications: false,
});

export const EVERYTHING: RefreshPlan = Object.freeze({
  info: true,
  conversations: true,
  messages: true,
  orders: true,
  listings: true,
  notifications: true,
});

export function planFor(event: UiEvent, openConversation: string | null): RefreshPlan {
  if (event.resync) return EVERYTHING;
  const touched = event.changes.conversations;
  const openTouched =
    openConversation !== null &&
    (touched.includes(openConversation) ||
      event.problems.some((p) => p.conversationId === openConversation) ||
      // The outbox changed: a queued message may now be sending, sent or failed.
      event.outboxPending !== null);
  return {
    info: false,
    conversations: touched.length > 0 || event.presenceChanged,
    messages: openTouched,
    orders: event.changes.orders.length > 0,
    listings: event.changes.listings.length > 0,
    notifications: event.changes.notifications > 0,
  };
}

export function mergePlans(a: RefreshPlan, b: RefreshPlan): RefreshPlan {
  return {
    info: a.info || b.info,
    conversations: a.conversations || b.conversations,
    messages: a.messages || b.messages,
    orders: a.orders || b.orders,
    listings: a.listings || b.listings,
    notifications: a.notifications || b.notifications,
  };
}

export function isEmpty(plan: RefreshPlan): boolean {
  return !Object.values(plan).some(Boolean);
}

/**
 * Runs refreshes one at a time. Plans requested while one runs are merged and run once
 * afterwards, so a burst of events costs at most one extra round of fetches.
 */
export class RefreshQueue {
  private pending: RefreshPlan = NOTHING;
  private running: Promise<void> | null = null;

  constructor(private readonly run: (plan: RefreshPlan) => Promise<void>) {}

  request(plan: RefreshPlan): Promise<void> {
    if (isEmpty(plan)) return this.running ?? Promise.resolve();
    this.pending = mergePlans(this.pending, plan);
    if (!this.running) this.running = this.drain();
    return this.running;
  }

  private async drain(): Promise<void> {
    try {
      while (!isEmpty(this.pending)) {
        const plan = this.pending;
        this.pending = NOTHING;
        try {
          await this.run(plan);
        } catch (error) {
          console.error("refresh failed", error);
        }
      }
    } finally {
      this.running = null;
    }
  }
}
