// Typed wrappers of the app's commands (src-tauri/commands.rs). Failures arrive as the
// backend's `{code, message}` and are thrown as CommandError.

import { Channel, invoke } from "@tauri-apps/api/core";
import type { AppError } from "./bindings/AppError";
import type { AppInfo } from "./bindings/AppInfo";
import type { CacheStats } from "./bindings/CacheStats";
import type { ClearReport } from "./bindings/ClearReport";
import type { ConversationView } from "./bindings/ConversationView";
import type { ListingView } from "./bindings/ListingView";
import type { NotificationView } from "./bindings/NotificationView";
import type { OrderView } from "./bindings/OrderView";
import type { OrderDetail } from "./bindings/OrderDetail";
import type { DesktopPreferences } from "./bindings/DesktopPreferences";
import type { NotificationSettings } from "./bindings/NotificationSettings";
import type { Target } from "./bindings/Target";
import type { OutboxItem } from "./bindings/OutboxItem";
import type { SearchResult } from "./bindings/SearchResult";
import type { ThreadAnchor } from "./bindings/ThreadAnchor";
import type { ThreadPage } from "./bindings/ThreadPage";
import type { UiEvent } from "./bindings/UiEvent";

export class CommandError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
    this.name = "CommandError";
  }
}

function isAppError(value: unknown): value is AppError {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as AppError).code === "string" &&
    typeof (value as AppError).message === "string"
  );
}

export function toCommandError(error: unknown): CommandError {
  if (error instanceof CommandError) return error;
  if (isAppError(error)) return new CommandError(error.code, error.message);
  if (error instanceof Error) return new CommandError("IPC_ERROR", error.message);
  return new CommandError("IPC_ERROR", String(error));
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    throw toCommandError(error);
  }
}

export const api = {
  appInfo: () => call<AppInfo>("app_info"),
  listConversations: (limit: number, offset = 0) => call<ConversationView[]>("list_conversations", { limit, offset }),
  countUnreadConversations: () => call<number>("count_unread_conversations"),
  listMessages: (conversationId: string, anchor: ThreadAnchor, limit: number) =>
    call<ThreadPage>("list_messages", { conversationId, anchor, limit }),
  markConversationRead: (conversationId: string) => call<void>("mark_conversation_read", { conversationId }),
  sendMessage: (conversationId: string, content: string) =>
    call<OutboxItem>("send_message", { conversationId, content }),
  retryMessage: (clientMessageId: string) => call<void>("retry_message", { clientMessageId }),
  listOrders: (status: string | null, limit: number, offset = 0) => call<OrderView[]>("list_orders", { status, limit, offset }),
  orderDetail: (orderId: string) => call<OrderDetail>("order_detail", { orderId }),
  listListings: () => call<ListingView[]>("list_listings"),
  listNotifications: () => call<NotificationView[]>("list_notifications"),
  countUnreadNotifications: () => call<number>("count_unread_notifications"),
  markNotificationRead: (id: string) => call<boolean>("mark_notification_read", { id }),
  markAllNotificationsRead: () => call<number>("mark_all_notifications_read"),
  search: (query: string, limit = 50, offset = 0) => call<SearchResult[]>("search", { query, limit, offset }),
  retryNow: () => call<void>("retry_now"),
  notificationSettings: () => call<NotificationSettings>("notification_settings"),
  setNotificationSettings: (settings: NotificationSettings) => call<void>("set_notification_settings", { settings }),
  setOpenConversation: (conversationId: string | null) => call<void>("set_open_conversation", { conversationId }),
  desktopPreferences: () => call<DesktopPreferences>("desktop_preferences"),
  setDesktopPreferences: (preferences: DesktopPreferences) => call<void>("set_desktop_preferences", { preferences }),
  setUnreadCount: (count: number) => call<void>("set_unread_count", { count }),
  takePendingNavigation: () => call<Target | null>("take_pending_navigation"),
  firstPaint: (conversations: number) => call<void>("first_paint", { conversations }),
  signIn: (server: string, token: string) => call<AppInfo>("sign_in", { server, token }),
  signOut: () => call<AppInfo>("sign_out"),
  tryDemo: () => call<AppInfo>("try_demo"),
  leaveDemo: () => call<AppInfo>("leave_demo"),
  cacheStats: () => call<CacheStats>("cache_stats"),
  clearCache: () => call<ClearReport>("clear_cache"),
  /** A `data:image/png|jpeg;base64,…` thumbnail the app made of an image attachment (downloaded into the cache first). */
  attachmentPreview: (messageId: string, url: string) => call<string>("attachment_preview", { messageId, url }),
  /**
   * Saves an attachment into the Downloads folder; resolves with the saved file's path. Types that
   * can run programs fail with ATTACHMENT_NEEDS_CONFIRMATION unless `confirmed`.
   */
  saveAttachment: (messageId: string, url: string, name: string, confirmed = false) =>
    call<string>("save_attachment", { messageId, url, name, confirmed }),
  /** Opens an http, https or mailto link in the system browser (LINK_REFUSED otherwise; LINK_USERINFO_REFUSED for `https://name@host`). */
  openLink: (url: string) => call<void>("open_link", { url }),
  subscribe: (onEvent: (event: UiEvent) => void) => {
    const channel = new Channel<UiEvent>();
    channel.onmessage = onEvent;
    return call<void>("subscribe", { channel });
  },
};
