// One query key per thing the UI shows. The backend's batches name the ids that changed
// (invalidate.ts), and only the queries under those keys refetch.

export const keys = {
  appInfo: () => ["appInfo"] as const,
  /** All pages of the conversation list (a message anywhere can reorder them). */
  conversations: () => ["conversations"] as const,
  /** The first `count` conversations, newest first. */
  conversationList: (count: number) => ["conversations", count] as const,
  /** Everything cached of one thread: its newest page and the older or newer pages around it. */
  thread: (conversationId: string) => ["thread", conversationId] as const,
  threadNewest: (conversationId: string) => ["thread", conversationId, "newest"] as const,
  orders: () => ["orders"] as const,
  orderPage: (status: string | null, page: number) => ["orders", status ?? "all", page] as const,
  order: (orderId: string) => ["order", orderId] as const,
  listings: () => ["listings"] as const,
  listingPage: (page: number) => ["listings", page] as const,
  notifications: () => ["notifications"] as const,
  notificationPage: (page: number) => ["notifications", page] as const,
  /** Every search asked while the results are up (dropped when they close: never stale on reopening). */
  searches: () => ["search"] as const,
  search: (query: string) => ["search", query] as const,
  cacheStats: () => ["cacheStats"] as const,
  notificationSettings: () => ["settings", "notifications"] as const,
  desktopPreferences: () => ["settings", "desktop"] as const,
};
