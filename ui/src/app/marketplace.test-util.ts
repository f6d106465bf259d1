// A populated seller's cache behind the IPC mock, for tests of the whole app: conversations
// with a thread, orders with a timeline, listings, notifications, settings and search.

import type { AppInfo } from "../bindings/AppInfo";
import type { ConversationView } from "../bindings/ConversationView";
import type { ListingView } from "../bindings/ListingView";
import type { NotificationView } from "../bindings/NotificationView";
import type { SearchResult } from "../bindings/SearchResult";
import type { ThreadAnchor } from "../bindings/ThreadAnchor";
import { type Calls, SIGNED_IN, mockCommands } from "../test-utils";
import { FakeThread } from "../views/inbox/fixtures.test-util";
import { order, orderDetail } from "../views/orders/fixtures.test-util";
import { cacheStats, desktopPreferences, notificationSettings } from "../views/settings/fixtures.test-util";

export function conversation(i: number, overrides: Partial<ConversationView> = {}): ConversationView {
  return {
    id: `c${i}`,
    state: "new",
    participants: [
      { id: "seller-1", name: "Me", avatar: "" },
      { id: `b${i}`, name: i === 2 ? "سارة" : `Buyer ${i}`, avatar: "" },
    ],
    lastMessage: { content: `Is item ${i} still available?`, timestamp: "2026-11-30T10:00:00Z" },
    unreadCount: i % 3 === 0 ? 2 : 0,
    presence: i % 2 === 0 ? { status: "online", lastSeen: null } : null,
    ...overrides,
  };
}

export function listing(i: number): ListingView {
  return {
    id: `lst-${i}`,
    price: { amount: 10 + i, currency: "EUR" },
    availability: "in_stock",
    status: "active",
    changedAt: "2026-11-30T10:00:00Z",
    priceChangedAt: null,
    availabilityChangedAt: null,
    statusChangedAt: null,
    stock: { quantity: i, status: i < 3 ? "low" : "ok", threshold: 3 },
    lowStock: i < 3,
    views: {},
    updatedAt: "2026-11-30T10:00:00Z",
  } as ListingView;
}

export function notification(i: number): NotificationView {
  return {
    id: `n${i}`,
    source: "user",
    kind: "order_reminder",
    title: `Reminder ${i}`,
    message: `Ship order ord-${i} today`,
    priority: "high",
    action: null,
    expiresAt: null,
    metadata: null,
    read: i > 2,
    timestamp: "2026-11-30T10:00:00Z",
  } as NotificationView;
}

export function searchResult(i: number): SearchResult {
  return {
    kind: "message",
    conversationId: "c1",
    messageId: `m${String(i).padStart(6, "0")}`,
    orderId: null,
    listingId: null,
    senderName: "Buyer 1",
    snippet: [{ text: "the ", hit: false }, { text: "invoice", hit: true }],
    timestamp: "2026-11-30T10:00:00Z",
  } as SearchResult;
}

export type Marketplace = { calls: Calls; thread: FakeThread; conversations: ConversationView[]; info: AppInfo };

export function mockMarketplace(info: AppInfo = SIGNED_IN): Marketplace {
  const conversations = Array.from({ length: 12 }, (_, i) => conversation(i + 1));
  const thread = new FakeThread(40);
  let preferences = desktopPreferences();
  preferences = { ...preferences, textZoom: 100 };
  const orders = Array.from({ length: 5 }, (_, i) => order(`ord-${i + 1}`));
  const calls = mockCommands({
    app_info: () => info,
    subscribe: () => null,
    set_open_conversation: () => null,
    list_conversations: (args) => conversations.slice(args.offset as number, (args.offset as number) + (args.limit as number)),
    list_messages: (args) => thread.page(args.anchor as ThreadAnchor, args.limit as number),
    mark_conversation_read: () => null,
    first_paint: () => null,
    notification_settings: () => notificationSettings(),
    set_notification_settings: () => null,
    desktop_preferences: () => preferences,
    set_desktop_preferences: (args) => {
      preferences = args.preferences as typeof preferences;
      return null;
    },
    list_orders: (args) => (args.offset === 0 ? orders : []),
    order_detail: (args) => orderDetail(args.orderId as string),
    list_listings: (args) => (args.offset === 0 ? Array.from({ length: 6 }, (_, i) => listing(i + 1)) : []),
    list_notifications: (args) => (args.offset === 0 ? Array.from({ length: 4 }, (_, i) => notification(i + 1)) : []),
    mark_notification_read: () => true,
    mark_all_notifications_read: () => 2,
    search: (args) => (args.offset === 0 ? [searchResult(5), searchResult(6)] : []),
    cache_stats: () => cacheStats(),
    attachment_preview: () => "data:image/png;base64,iVBORw0KGgo=",
  });
  return { calls, thread, conversations, info };
}
