// A batch of backend events for tests: nothing changed unless `overrides` and `changes` say so.

import type { UiEvent } from "../bindings/UiEvent";

export function event(overrides: Partial<UiEvent> = {}, changes: Partial<UiEvent["changes"]> = {}): UiEvent {
  return {
    state: null,
    changes: { conversations: [], orders: [], listings: [], notifications: [], outbox: [], ...changes },
    problems: [],
    outboxPending: null,
    latencyMs: null,
    typing: [],
    presenceChanged: false,
    received: 1,
    resync: false,
    navigate: null,
    linkNotFound: null,
    unreadConversations: null,
    unreadNotifications: null,
    ...overrides,
  };
}
