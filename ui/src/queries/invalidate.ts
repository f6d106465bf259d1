// Which queries a batch of backend events makes stale: exactly the keys of the ids it names.

import type { QueryKey } from "@tanstack/solid-query";
import type { UiEvent } from "../bindings/UiEvent";
import { keys } from "./keys";

/** The query keys (prefixes) a batch invalidates; `null` means everything (a resync). */
export function staleKeys(event: UiEvent): QueryKey[] | null {
  if (event.resync) return null;
  const stale: QueryKey[] = [];
  const { conversations, orders, listings, notifications, outbox } = event.changes;
  if (conversations.length > 0 || event.presenceChanged) stale.push(keys.conversations());
  const threads = new Set([...conversations, ...outbox]);
  for (const problem of event.problems) if (problem.conversationId) threads.add(problem.conversationId);
  for (const id of threads) stale.push(keys.thread(id));
  if (orders.length > 0) stale.push(keys.orders());
  for (const id of orders) stale.push(keys.order(id));
  if (listings.length > 0) stale.push(keys.listings());
  if (notifications.length > 0) stale.push(keys.notifications());
  return stale;
}
