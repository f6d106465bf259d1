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

/**
 * Spaces out refreshes caused by live events: plans are merged and handed on at most once per
 * `gapMs`, so a flood of server events (which the backend already batches at ~60 a second) leaves
 * the page most of its frames for scrolling and typing. The first plan after a quiet spell goes
 * at once. What the seller does is not throttled: that goes to the RefreshQueue directly.
 */
export class LiveThrottle {
  private plan: RefreshPlan = NOTHING;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private last = -Infinity;

  constructor(
    private readonly gapMs: number,
    private readonly flush: (plan: RefreshPlan) => void,
    private readonly now: () => number = () => Date.now(),
  ) {}

  push(plan: RefreshPlan): void {
    if (isEmpty(plan)) return;
    this.plan = mergePlans(this.plan, plan);
    if (this.timer !== null) return;
    const wait = Math.max(0, this.last + this.gapMs - this.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.last = this.now();
      const plan = this.plan;
      this.plan = NOTHING;
      this.flush(plan);
    }, wait);
  }
}
