// The controller: holds what is on screen, asks the backend for it, and re-renders the part
// that changed. Live events only trigger refetches (see updates.ts).

import type { AppInfo } from "./bindings/AppInfo";
import type { ConnectionState } from "./bindings/ConnectionState";
import type { ConversationView } from "./bindings/ConversationView";
import type { ListingView } from "./bindings/ListingView";
import type { NotificationView } from "./bindings/NotificationView";
import type { OrderView } from "./bindings/OrderView";
import type { OrderDetail } from "./bindings/OrderDetail";
import type { DesktopPreferences } from "./bindings/DesktopPreferences";
import type { NotificationSettings } from "./bindings/NotificationSettings";
import type { SearchResult } from "./bindings/SearchResult";
import type { CacheStats } from "./bindings/CacheStats";
import type { Target } from "./bindings/Target";
import type { UiEvent } from "./bindings/UiEvent";
import { api, toCommandError } from "./api";
import { h, replaceChildren } from "./dom";
import { connectionSummary, counted, counterpartName, humanBytes, humanize, problemText, tokenNotice } from "./format";
import { type RefreshPlan, EVERYTHING, LiveThrottle, NOTHING, RefreshQueue, planFor } from "./updates";
import { ConversationList, presenceLabel } from "./views/sidebar";
import { type Composer, createComposer } from "./views/conversation";
import { Thread } from "./views/thread";
import type { MessageActions, MessageContext } from "./views/message";
import { clearPreviewCache } from "./views/attachments";
import { type OrdersHandlers, renderOrders } from "./views/orders";
import { type StatusBar, createStatusBar } from "./views/statusbar";
import { type SignInForm, createSignIn } from "./views/signin";
import { SEARCH_DEBOUNCE_MS, type SearchState, renderSearchResults } from "./views/search";
import { renderSettings } from "./views/settings";
import { renderListings } from "./views/listings";
import { renderNotifications } from "./views/notifications";
import { linkNotFoundText } from "./views/links";
import { listen } from "@tauri-apps/api/event";
import { Drafts, nextUnread, shortcutFor } from "./keys";

type Tab = "inbox" | "orders" | "listings" | "notifications" | "settings";
/** The sections with a tab of their own (Settings is a button in the top bar). */
const TABS = ["inbox", "orders", "listings", "notifications"] as const;
type TabButton = (typeof TABS)[number];

/** Conversations fetched at a time; scrolling to the end of the list fetches the next page. */
const CONVERSATION_PAGE = 200;

/** How long "typing…" stays up after the last typing event (a "stopped" event may never come). */
const TYPING_SHOWN_MS = 6_000;

/** The backend's largest page. */
const MAX_PAGE = 1000;

/** The first `count` rows of a list, fetched a page of at most MAX_PAGE at a time. */
async function fetchPaged<T>(count: number, page: (limit: number, offset: number) => Promise<T[]>): Promise<T[]> {
  const rows: T[] = [];
  while (rows.length < count) {
    const limit = Math.min(MAX_PAGE, count - rows.length);
    const next = await page(limit, rows.length);
    rows.push(...next);
    if (next.length < limit) break;
  }
  return rows;
}

/** What message rows can do: previews and downloads through the backend, links after a confirmation. */
const MESSAGE_ACTIONS: MessageActions = {
  preview: (messageId, url) => api.attachmentPreview(messageId, url),
  save: (messageId, url, name, confirmed) => api.saveAttachment(messageId, url, name, confirmed),
  openLink: (url) => api.openLink(url),
};

/** Orders fetched at a time ("Show more" adds a page). */
const ORDER_PAGE = 200;

/** The shortest time between two refetches caused by live events (at most 8 a second). */
const LIVE_GAP_MS = 125;

/** How long a problem stays in the status bar. */
const PROBLEM_MS = 10_000;

export class App {
  private info: AppInfo | null = null;
  private connection: ConnectionState | null = null;
  private connectionAt = 0;
  private pending = 0;
  /** Round trip of the last health check (ms); a batch with a state carries it, null = unknown. */
  private latencyMs: number | null = null;
  private conversations: ConversationView[] = [];
  /** How many conversations the list shows (grows a page at a time as the seller scrolls). */
  private conversationLimit = CONVERSATION_PAGE;
  private unreadConversations = 0;
  private firstPaintReported = false;
  /** The server rejected the token: the sign-in form is shown over the (kept) cache. */
  private reauth = false;
  private openId: string | null = null;
  private orders: OrderView[] = [];
  /** Only orders with this status (null: all), and how many are shown. */
  private ordersFilter: string | null = null;
  private ordersLimit = ORDER_PAGE;
  private selectedOrder: string | null = null;
  private orderDetail: OrderDetail | null = null;
  private readonly ordersHandlers: OrdersHandlers = {
    onFilter: (status) => {
      this.ordersFilter = status;
      this.ordersLimit = ORDER_PAGE;
      void this.refresh.request({ ...NOTHING, orders: true });
    },
    onSelect: (id) => void this.selectOrder(id),
    onClose: () => {
      this.selectedOrder = null;
      this.orderDetail = null;
      this.renderOrdersPane();
    },
    onMore: () => {
      this.ordersLimit += ORDER_PAGE;
      void this.refresh.request({ ...NOTHING, orders: true });
    },
  };
  private tab: Tab = "inbox";
  private problem: { text: string; until: number } | null = null;
  /** Results replace the main view while the search box has a query. */
  private search: SearchState | null = null;
  private searchTimer: number | undefined;
  /** Answers to older queries that arrive late are dropped. */
  private searchSeq = 0;
  /** Unmarks a message opened from search after a moment. */
  private foundTimer: number | undefined;

  private readonly drafts = new Drafts();
  private readonly refresh = new RefreshQueue((plan) => this.fetch(plan));
  /** Live events refetch at most every LIVE_GAP_MS (the seller's own actions do not wait). */
  private readonly live = new LiveThrottle(LIVE_GAP_MS, (plan) => void this.refresh.request(plan));
  private readonly statusBar: StatusBar;
  private readonly composer: Composer;
  private readonly signIn: SignInForm;
  private readonly root: HTMLElement;
  private readonly topbarRight = h("div", { class: "topbar-right" });
  private readonly tabs: Record<TabButton, HTMLButtonElement>;
  private listings: ListingView[] = [];
  private notifications: NotificationView[] = [];
  private readonly notificationsBadge = h("span", { class: "tab-badge" });
  private readonly listingsPane = h("section", { class: "orders-pane" });
  private readonly notificationsPane = h("section", { class: "orders-pane notifications-pane" });
  private settings: NotificationSettings | null = null;
  /** What the thread's rows were built with (see applyDisplayPreferences). */
  private readReceiptsHidden = false;
  /** "Load image previews automatically", as the thread's rows were last built with. */
  private previewsLoaded = true;
  private cacheStats: CacheStats | null = null;
  /** What the last clearing of the cache did, shown under the cache size. */
  private cacheNote: string | null = null;
  private desktopPreferences: DesktopPreferences | null = null;
  private readonly settingsPane = h("section", { class: "settings-pane" });
  private readonly muteButton = h("button", { type: "button", class: "ghost mute-toggle" });
  private readonly inboxBadge = h("span", { class: "tab-badge" });
  private readonly conversationList: ConversationList;
  /** Conversations where the buyer is typing, until when (typing events can be lost: they expire). */
  private readonly typing = new Map<string, number>();
  private readonly conversationTitle = h("h2", { class: "conversation-title" });
  private readonly conversationSubtitle = h("span", { class: "conversation-subtitle muted" });
  private readonly thread: Thread;
  private readonly conversationPane: HTMLElement;
  private readonly ordersPane = h("section", { class: "orders-pane orders-screen" });
  private readonly main = h("main", { class: "main" });
  private readonly searchPane = h("section", { class: "search-pane", "aria-live": "polite" });
  private readonly searchInput = h("input", {
    type: "search",
    class: "search-input",
    placeholder: "Search (Ctrl+K)",
    "aria-label": "Search messages, buyers, orders and listings",
    autocomplete: "off",
    spellcheck: "false",
    "aria-keyshortcuts": "Control+K",
  });

  constructor(root: HTMLElement) {
    this.root = root;
    this.statusBar = createStatusBar(() => void this.retry());
    this.composer = createComposer((text) => this.send(text));
    this.signIn = createSignIn(
      (server, token) => this.doSignIn(server, token),
      () => this.switchMode(() => api.tryDemo()),
    );
    this.conversationList = new ConversationList(
      (id) => void this.open(id),
      () => this.onConversationsNearEnd(),
    );
    this.thread = new Thread((id, anchor, limit) => api.listMessages(id, anchor, limit), this.messageContext());
    this.tabs = {
      inbox: h(
        "button",
        { type: "button", class: "tab", "data-tab": "inbox", title: "Inbox (Alt+1; Alt+↓: next unread)", "aria-keyshortcuts": "Alt+1" },
        "Inbox",
        this.inboxBadge,
      ),
      orders: h("button", { type: "button", class: "tab", "data-tab": "orders", title: "Orders (Alt+2)", "aria-keyshortcuts": "Alt+2" }, "Orders"),
      listings: h(
        "button",
        { type: "button", class: "tab", "data-tab": "listings", title: "Listings (Alt+3)", "aria-keyshortcuts": "Alt+3" },
        "Listings",
      ),
      notifications: h(
        "button",
        { type: "button", class: "tab", "data-tab": "notifications", title: "Notifications (Alt+4)", "aria-keyshortcuts": "Alt+4" },
        "Notifications",
        this.notificationsBadge,
      ),
    };
    for (const tab of TABS) {
      this.tabs[tab].addEventListener("click", () => this.showTab(tab));
    }
    this.muteButton.addEventListener("click", () => void this.toggleMute());
    this.conversationPane = h(
      "section",
      { class: "conversation-pane" },
      h("header", { class: "conversation-header" }, this.conversationTitle, this.conversationSubtitle, this.muteButton),
      this.thread.element,
      this.composer.element,
    );
    const topbar = h(
      "header",
      { class: "topbar" },
      h("span", { class: "brand" }, h("span", { class: "brand-mark", "aria-hidden": "true" }, "SD"), "Seller Desk"),
      h("div", { class: "tabs", role: "tablist" }, ...TABS.map((tab) => this.tabs[tab])),
      h("div", { class: "search-box", role: "search" }, this.searchInput),
      this.topbarRight,
    );
    this.searchInput.addEventListener("input", () => this.onSearchInput());
    this.searchInput.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        this.clearSearch();
        this.searchInput.blur();
      }
    });
    document.addEventListener("keydown", (event) => this.onShortcut(event));
    replaceChildren(root, topbar, this.main, this.statusBar.element);
    // The reconnect countdown and problem expiry move with time.
    window.setInterval(() => {
      this.renderStatus();
      this.expireTyping(Date.now());
    }, 1000);
  }

  async start(): Promise<void> {
    this.render();
    // A click on a native notification, or a sellerdesk:// link, opens what it is about.
    void listen<Target>("navigate", (event) => void this.navigate(event.payload)).catch(() => {});
    // A link named an order or conversation this cache does not have: said, never shown back.
    void listen<string>("link-not-found", (event) => this.showProblem(linkNotFoundText(event.payload))).catch(() => {});
    try {
      // Subscribe first: its first batch is a resync, so nothing between the two is missed.
      await api.subscribe((event) => this.onEvent(event));
    } catch (error) {
      this.showProblem(toCommandError(error).message);
    }
    await this.refresh.request(EVERYTHING);
    if (this.info?.signedIn) void this.loadSettings();
    // The link the app was launched with.
    const pending = await api.takePendingNavigation().catch(() => null);
    if (pending && this.info?.signedIn) await this.navigate(pending);
  }

  /** Start-up timing: tells the backend once, after the browser painted the first conversations. */
  private reportFirstPaint(): void {
    if (this.firstPaintReported || this.conversations.length === 0) return;
    this.firstPaintReported = true;
    const count = this.conversations.length;
    requestAnimationFrame(() => requestAnimationFrame(() => void api.firstPaint(count).catch(() => {})));
  }

  private onEvent(event: UiEvent): void {
    if (event.state) {
      this.connection = event.state;
      this.connectionAt = Date.now();
    }
    if (event.outboxPending !== null) this.pending = event.outboxPending;
    if (event.state || event.latencyMs !== null) this.latencyMs = event.latencyMs;
    if (event.typing.length > 0) this.noteTyping(event);
    const last = event.problems[event.problems.length - 1];
    if (last) this.showProblem(problemText(last, this.conversations));
    this.renderStatus();
    let plan: RefreshPlan = planFor(event, this.openId);
    // The seller's id is known once connected: own messages are recognised from then on.
    // (The info refetch gives the thread the seller's id, which rebuilds its rows.)
    if (event.state?.state === "connected" && !this.info?.userId) plan = { ...plan, info: true };
    // A resync is the full picture after (re)subscribing: no reason to wait.
    if (event.resync) void this.refresh.request(plan);
    else this.live.push(plan);
  }

  private noteTyping(event: UiEvent): void {
    const now = Date.now();
    if (this.desktopPreferences?.showTyping === false) return;
    for (const typing of event.typing) {
      // Only the buyer's typing is shown; the seller's own (another device) is not.
      if (typing.userId === this.selfId()) continue;
      if (typing.isTyping) this.typing.set(typing.conversationId, now + TYPING_SHOWN_MS);
      else this.typing.delete(typing.conversationId);
    }
    this.renderTyping();
  }

  /** Drops typing indicators that ran out; re-renders what shows them when anything changed. */
  private expireTyping(now: number): void {
    let changed = false;
    for (const [id, until] of this.typing) {
      if (until <= now) changed = this.typing.delete(id) || changed;
    }
    if (changed) this.renderTyping();
  }

  private renderTyping(): void {
    if (this.tab !== "inbox" || this.search) return;
    this.renderSidebar();
    this.renderConversationHeader();
  }

  /** Views that changed while another tab was shown; fetched when their tab opens. */
  private stale = { orders: false, listings: false, notifications: false };

  /** Fetches what the plan names, from the cache; never throws. Lists of tabs that are not
   * shown are only marked stale (a flood of events would otherwise refetch them all the time). */
  private async fetch(requested: RefreshPlan): Promise<void> {
    const plan = { ...requested };
    for (const view of ["orders", "listings"] as const) {
      if (plan[view] && this.tab !== view) {
        this.stale[view] = true;
        plan[view] = false;
      }
    }
    // The notification badge is always shown; the list only on its tab.
    const notificationList = plan.notifications && this.tab === "notifications";
    if (plan.notifications && !notificationList) this.stale.notifications = true;
    try {
      if (plan.info) {
        const selfId = this.selfId();
        this.info = await api.appInfo();
        // Own messages are recognised by the seller's id, known once connected.
        if (this.selfId() !== selfId) this.thread.setContext(this.messageContext());
        this.connection = this.info.connection;
        this.connectionAt = Date.now();
        this.pending = this.info.pendingOutbox;
        this.render();
      }
      if (!this.info?.signedIn) return;
      const openId = this.openId;
      // The inbox paints as soon as its first rows are in (start-up is timed to that paint); its
      // unread count, which reads much more of the cache, comes after.
      const inbox = plan.conversations
        ? fetchPaged(this.conversationLimit, (limit, offset) => api.listConversations(limit, offset)).then(async (conversations) => {
            this.conversations = conversations;
            this.renderSidebar();
            this.renderConversationHeader();
            this.reportFirstPaint();
            const unread = await api.countUnreadConversations();
            if (unread !== this.unreadConversations) {
              this.unreadConversations = unread;
              this.renderSidebar();
              void api.setUnreadCount(unread).catch(() => {});
            }
          })
        : null;
      const [, messagesChanged, orders, listings, notifications, unreadNotifications] = await Promise.all([
        inbox,
        plan.messages && openId && this.thread.openConversation === openId ? this.thread.refresh().then(() => true) : false,
        plan.orders ? fetchPaged(this.ordersLimit, (limit, offset) => api.listOrders(this.ordersFilter, limit, offset)) : null,
        plan.listings ? api.listListings() : null,
        notificationList ? api.listNotifications() : null,
        plan.notifications ? api.countUnreadNotifications() : null,
      ]);
      if (listings) {
        this.listings = listings;
        if (this.tab === "listings") renderListings(this.listingsPane, this.listings);
      }
      if (notifications) {
        this.notifications = notifications;
        if (this.tab === "notifications") this.renderNotificationCenter();
      }
      if (unreadNotifications !== null) {
        replaceChildren(this.notificationsBadge, unreadNotifications > 0 ? String(unreadNotifications) : "");
      }
      if (messagesChanged && openId && openId === this.openId) {
        // Messages the seller can see are read.
        if (document.visibilityState === "visible" && this.tab === "inbox") void this.markRead(openId);
      }
      if (orders) {
        this.orders = orders;
        // The open order may have changed too.
        const selected = this.selectedOrder;
        if (selected) {
          const detail = await api.orderDetail(selected).catch(() => null);
          // The seller may have opened another order meanwhile.
          if (detail && this.selectedOrder === selected) this.orderDetail = detail;
        }
        if (this.tab === "orders") this.renderOrdersPane();
      }
    } catch (error) {
      this.showProblem(toCommandError(error).message);
    }
  }

  /** Near the end of the list, and the last page was full: show the next page too. */
  private onConversationsNearEnd(): void {
    if (this.conversations.length < this.conversationLimit) return;
    this.conversationLimit += CONVERSATION_PAGE;
    void this.refresh.request({ ...NOTHING, conversations: true });
  }

  private renderOrdersPane(): void {
    renderOrders(
      this.ordersPane,
      {
        orders: this.orders,
        filter: this.ordersFilter,
        selected: this.selectedOrder,
        detail: this.orderDetail,
        canLoadMore: this.orders.length >= this.ordersLimit,
      },
      this.ordersHandlers,
    );
  }

  /** The Orders tab with this order open, its row (in the unfiltered list) flashed. */
  private async showOrder(id: string): Promise<void> {
    this.showTab("orders");
    this.ordersFilter = null;
    await Promise.all([this.refresh.request({ ...NOTHING, orders: true }), this.selectOrder(id)]);
    this.reveal(this.ordersPane, `tr[data-order-id="${CSS.escape(id)}"]`);
  }

  /** Shows an order's detail and timeline beside the list. */
  private async selectOrder(id: string): Promise<void> {
    this.selectedOrder = id;
    if (this.orderDetail?.id !== id) this.orderDetail = null;
    this.renderOrdersPane();
    try {
      const detail = await api.orderDetail(id);
      if (this.selectedOrder !== id) return;
      this.orderDetail = detail;
    } catch (error) {
      this.showProblem(toCommandError(error).message);
      if (this.selectedOrder === id) this.selectedOrder = null;
    }
    if (this.tab === "orders") this.renderOrdersPane();
  }

  private renderNotificationCenter(): void {
    renderNotifications(this.notificationsPane, this.notifications, {
      markRead: (id) => void this.markNotifications(() => api.markNotificationRead(id)),
      markAllRead: () => void this.markNotifications(() => api.markAllNotificationsRead()),
    });
  }

  private async markNotifications(mark: () => Promise<unknown>): Promise<void> {
    try {
      await mark();
      await this.refresh.request({ ...NOTHING, notifications: true });
    } catch (error) {
      this.showProblem(toCommandError(error).message);
    }
  }

  private messageContext(): MessageContext {
    return {
      selfId: this.selfId(),
      onRetry: (id: string) => void this.retryMessage(id),
      foundId: null,
      actions: MESSAGE_ACTIONS,
      hideReadReceipts: this.desktopPreferences?.showReadReceipts === false,
      loadPreviews: this.desktopPreferences?.loadPreviewsAutomatically !== false,
    };
  }

  private selfId(): string | null {
    return this.info?.userId ?? null;
  }

  private onShortcut(event: KeyboardEvent): void {
    const shortcut = shortcutFor(event);
    if (!shortcut || !this.info?.signedIn) return;
    event.preventDefault();
    if (shortcut.kind === "search") {
      this.searchInput.focus();
      this.searchInput.select();
    } else if (shortcut.kind === "section") {
      this.showTab(shortcut.section);
    } else {
      const next = nextUnread(this.conversations, this.openId);
      if (next) {
        if (this.tab !== "inbox") this.showTab("inbox");
        this.conversationList.reveal(next);
        void this.open(next);
      }
    }
  }

  /** Opens a conversation at its newest message, or around `messageId` (marked for a moment). */
  private async open(id: string, messageId: string | null = null): Promise<void> {
    if (this.openId && this.openId !== id) this.drafts.save(this.openId, this.composer.text());
    if (this.openId !== id) this.composer.setText(this.drafts.take(id));
    this.openId = id;
    window.clearTimeout(this.foundTimer);
    this.reportOpenConversation();
    this.renderSidebar();
    this.renderConversationHeader();
    this.composer.setEnabled(true);
    try {
      await this.thread.open(id, messageId);
    } catch (error) {
      this.showProblem(toCommandError(error).message);
      return;
    }
    // Another conversation was opened meanwhile: this one was never shown.
    if (this.openId !== id) return;
    if (messageId) this.foundTimer = window.setTimeout(() => this.thread.setFound(null), 3000);
    if (document.visibilityState === "visible" && this.tab === "inbox") void this.markRead(id);
    this.composer.focus();
  }

  private async markRead(id: string): Promise<void> {
    const conversation = this.conversations.find((c) => c.id === id);
    if (!conversation || Number(conversation.unreadCount) === 0) return;
    try {
      await api.markConversationRead(id);
      await this.refresh.request({ ...NOTHING, conversations: true });
    } catch (error) {
      this.showProblem(toCommandError(error).message);
    }
  }

  private async send(text: string): Promise<boolean> {
    const id = this.openId;
    if (!id) return false;
    try {
      await api.sendMessage(id, text);
      // Show it at once as queued, at the bottom; events move it to sent, delivered and read.
      await this.refresh.request({ ...NOTHING, messages: true });
      await this.thread.jumpToNewest();
      return true;
    } catch (error) {
      this.showProblem(toCommandError(error).message);
      return false;
    }
  }

  private async retryMessage(clientMessageId: string): Promise<void> {
    try {
      await api.retryMessage(clientMessageId);
      await this.refresh.request({ ...NOTHING, messages: true });
    } catch (error) {
      this.showProblem(toCommandError(error).message);
    }
  }

  private async retry(): Promise<void> {
    if (this.connection?.state === "authFailed" && this.info?.mode === "live") {
      this.reauth = true;
      this.signIn.prefill(
        this.info.server ?? "",
        "The marketplace rejected your token. Enter a new one; everything already received stays here.",
      );
      this.render();
      return;
    }
    try {
      await api.retryNow();
    } catch (error) {
      this.showProblem(toCommandError(error).message);
    }
  }

  private async doSignIn(server: string, token: string): Promise<void> {
    this.signIn.showError(null);
    try {
      this.info = await api.signIn(server, token);
      this.reauth = false;
      this.render();
      await this.refresh.request(EVERYTHING);
    } catch (error) {
      this.signIn.showError(toCommandError(error).message);
    }
  }

  /** Into the demo from the sign-in screen, or back out of it. */
  private async switchMode(call: () => Promise<AppInfo>): Promise<void> {
    this.signIn.showError(null);
    try {
      this.info = await call();
      this.resetSession();
      this.render();
      await this.refresh.request(EVERYTHING);
      if (this.info?.signedIn) void this.loadSettings();
    } catch (error) {
      const message = toCommandError(error).message;
      this.signIn.showError(message);
      this.showProblem(message);
    }
  }

  /** Forgets everything shown of the last session. */
  private resetSession(): void {
    this.conversations = [];
    this.drafts.clear();
    this.composer.setText("");
    this.conversationLimit = CONVERSATION_PAGE;
    this.unreadConversations = 0;
    this.thread.clear("Select a conversation");
    clearPreviewCache();
    this.orders = [];
    this.selectedOrder = null;
    this.orderDetail = null;
    this.openId = null;
    this.connection = null;
    this.tab = "inbox";
  }

  private async doSignOut(): Promise<void> {
    if (this.info?.mode === "demo") {
      await this.switchMode(() => api.leaveDemo());
      return;
    }
    try {
      this.info = await api.signOut();
      this.resetSession();
      this.render();
    } catch (error) {
      this.showProblem(toCommandError(error).message);
    }
  }

  private onSearchInput(): void {
    window.clearTimeout(this.searchTimer);
    const query = this.searchInput.value;
    if (query.trim() === "") {
      this.clearSearch();
      return;
    }
    this.searchTimer = window.setTimeout(() => void this.runSearch(query), SEARCH_DEBOUNCE_MS);
  }

  private async runSearch(query: string): Promise<void> {
    const seq = ++this.searchSeq;
    // Earlier results stay up while the next ones load: no flicker while typing.
    if (this.search?.phase !== "done") this.search = { phase: "searching", query };
    this.render();
    try {
      const results = await api.search(query);
      if (seq === this.searchSeq) this.search = { phase: "done", query, results };
    } catch (error) {
      if (seq === this.searchSeq) this.search = { phase: "failed", query, message: toCommandError(error).message };
    }
    if (seq === this.searchSeq && this.search) this.render();
  }

  private clearSearch(): void {
    window.clearTimeout(this.searchTimer);
    this.searchSeq++;
    this.searchInput.value = "";
    if (this.search) {
      this.search = null;
      this.render();
    }
  }

  /** Opens what a result points at, scrolled into view and briefly highlighted. */
  private async openResult(result: SearchResult): Promise<void> {
    this.clearSearch();
    if (result.kind === "order" && result.orderId) {
      await this.showOrder(result.orderId);
    } else if (result.conversationId) {
      this.tab = "inbox";
      this.render();
      await this.open(result.conversationId, result.messageId);
    }
  }

  private reveal(container: HTMLElement, selector: string): void {
    const target = container.querySelector<HTMLElement>(selector);
    if (!target) return;
    target.scrollIntoView({ block: "center" });
    target.classList.add("flash");
    window.setTimeout(() => target.classList.remove("flash"), 2000);
  }

  private showTab(tab: Tab): void {
    this.clearSearch();
    this.tab = tab;
    this.render();
    if ((tab === "orders" || tab === "listings" || tab === "notifications") && this.stale[tab]) {
      this.stale[tab] = false;
      void this.refresh.request({ ...NOTHING, [tab]: true });
    }
    this.reportOpenConversation();
    if (tab === "inbox" && this.openId) void this.markRead(this.openId);
    if (tab === "settings") void this.loadSettings();
  }

  /** Tells the backend which conversation is on screen (its messages do not notify then). */
  private reportOpenConversation(): void {
    const onScreen = this.tab === "inbox" && !this.search ? this.openId : null;
    void api.setOpenConversation(onScreen).catch(() => {});
  }

  private async navigate(target: Target): Promise<void> {
    this.clearSearch();
    switch (target.view) {
      case "conversation":
        this.tab = "inbox";
        this.render();
        await this.open(target.id);
        break;
      case "order":
        await this.showOrder(target.id);
        break;
      case "orders":
        this.showTab("orders");
        break;
      case "notifications":
        this.showTab("notifications");
        break;
      default:
        this.showTab("inbox");
    }
  }

  private async loadSettings(): Promise<void> {
    try {
      [this.settings, this.desktopPreferences] = await Promise.all([api.notificationSettings(), api.desktopPreferences()]);
      this.applyDisplayPreferences();
      this.render();
      if (this.tab === "settings") {
        this.cacheStats = await api.cacheStats();
        if (this.tab === "settings") this.render();
      }
    } catch (error) {
      this.showProblem(toCommandError(error).message);
    }
  }

  private async saveSettings(next: NotificationSettings): Promise<void> {
    try {
      await api.setNotificationSettings(next);
      this.settings = next;
    } catch (error) {
      this.showProblem(toCommandError(error).message);
    }
    if (this.tab === "settings") this.render();
    this.renderConversationHeader();
  }

  private async saveDesktopPreferences(next: DesktopPreferences): Promise<void> {
    try {
      await api.setDesktopPreferences(next);
      this.desktopPreferences = next;
      this.applyDisplayPreferences();
    } catch (error) {
      this.showProblem(toCommandError(error).message);
    }
    if (this.tab === "settings") this.render();
  }

  /** What the conversation views show follows the seller's preferences. */
  private applyDisplayPreferences(): void {
    if (this.desktopPreferences?.showTyping === false && this.typing.size > 0) this.typing.clear();
    // Rebuilding every row of the thread is only worth it when what they show changed.
    const hide = this.desktopPreferences?.showReadReceipts === false;
    const previews = this.desktopPreferences?.loadPreviewsAutomatically !== false;
    if (hide !== this.readReceiptsHidden || previews !== this.previewsLoaded) {
      this.readReceiptsHidden = hide;
      this.previewsLoaded = previews;
      this.thread.setContext(this.messageContext());
    }
  }

  private async clearCache(): Promise<void> {
    try {
      const report = await api.clearCache();
      // The attachment files are gone from disk: their previews go from memory too.
      clearPreviewCache();
      this.cacheNote = `Cleared: ${report.rowsRemoved.toLocaleString("en")} rows removed, ${humanBytes(report.fileBytesBefore)} → ${humanBytes(report.fileBytesAfter)} on disk; ${counted(report.attachmentFilesRemoved, "attachment file", "attachment files")} (${humanBytes(report.attachmentBytesRemoved)}) removed.`;
      this.cacheStats = await api.cacheStats();
      await this.refresh.request(EVERYTHING);
    } catch (error) {
      this.showProblem(toCommandError(error).message);
    }
    if (this.tab === "settings") this.render();
  }

  private async toggleMute(): Promise<void> {
    const id = this.openId;
    if (!id) return;
    const settings = this.settings ?? (await api.notificationSettings().catch(() => null));
    if (!settings) return;
    const muted = settings.mutedConversations.includes(id);
    await this.saveSettings({
      ...settings,
      mutedConversations: muted ? settings.mutedConversations.filter((c) => c !== id) : [...settings.mutedConversations, id],
    });
  }

  private showProblem(text: string): void {
    this.problem = { text, until: Date.now() + PROBLEM_MS };
    this.renderStatus();
  }

  // ---- rendering ----------------------------------------------------------------------------

  private render(): void {
    this.renderTopbar();
    const info = this.info;
    if (info && info.mode === "live" && (!info.signedIn || this.reauth)) {
      this.root.dataset.view = "signin";
      if (info.startupError) this.signIn.showError(info.startupError.message);
      else if (info.signOutNotice) this.signIn.showError(info.signOutNotice.message);
      replaceChildren(this.main, this.signIn.element);
    } else if (this.search && info?.signedIn) {
      this.root.dataset.view = "search";
      replaceChildren(this.main, this.searchPane);
      renderSearchResults(this.searchPane, this.search, (result) => void this.openResult(result));
    } else if (this.tab === "settings") {
      this.root.dataset.view = "settings";
      replaceChildren(this.main, this.settingsPane);
      if (this.settings)
        renderSettings(
          this.settingsPane,
          this.settings,
          (next) => void this.saveSettings(next),
          this.desktopPreferences,
          (next) => void this.saveDesktopPreferences(next),
          info
            ? {
                dataDir: info.dataDir,
                stats: this.cacheStats,
                note: this.cacheNote,
                canSignOut: info.signedIn,
                signOutLabel: info.mode === "demo" ? "Leave the demo" : "Sign out",
                onClear: () => void this.clearCache(),
                onSignOut: () => void this.doSignOut(),
              }
            : null,
        );
      else replaceChildren(this.settingsPane, h("p", { class: "empty" }, "Loading…"));
    } else if (this.tab === "listings") {
      this.root.dataset.view = "listings";
      replaceChildren(this.main, this.listingsPane);
      renderListings(this.listingsPane, this.listings);
    } else if (this.tab === "notifications") {
      this.root.dataset.view = "notifications";
      replaceChildren(this.main, this.notificationsPane);
      this.renderNotificationCenter();
    } else if (this.tab === "orders") {
      this.root.dataset.view = "orders";
      replaceChildren(this.main, this.ordersPane);
      this.renderOrdersPane();
    } else {
      this.root.dataset.view = "inbox";
      replaceChildren(this.main, h("div", { class: "inbox" }, this.conversationList.element, this.conversationPane));
      // Moved into a new container: the lists forgot where they were scrolled to.
      this.conversationList.reattached();
      this.thread.reattached();
      this.renderSidebar();
      this.renderConversationHeader();
      if (!this.openId) {
        this.thread.clear("Select a conversation");
        this.composer.setEnabled(false);
      }
    }
    if (info?.startupError && info.signedIn === false && info.mode === "demo") this.showProblem(info.startupError.message);
    if (info?.cacheNotice) this.showProblem(info.cacheNotice.message);
    this.renderStatus();
  }

  private renderTopbar(): void {
    const info = this.info;
    for (const tab of TABS) {
      this.tabs[tab].setAttribute("aria-selected", String(this.tab === tab));
      this.tabs[tab].hidden = !info?.signedIn;
    }
    this.searchInput.hidden = !info?.signedIn || (info.mode === "live" && this.reauth);
    const items: (HTMLElement | string)[] = [];
    if (info?.mode === "demo") items.push(h("span", { class: "demo-badge", title: "A simulated marketplace; nothing is real" }, "Demo"));
    if (info?.server && info.mode === "live") items.push(h("span", { class: "server muted", title: info.server }, info.server));
    const notice = info?.mode === "live" && info.signedIn ? tokenNotice(info.tokenExpiresAt) : null;
    if (notice) items.push(h("span", { class: `token-notice ${notice.level}`, role: "status", title: notice.text }, notice.text));
    if (info?.signedIn) {
      const settings = h(
        "button",
        { type: "button", class: "ghost", "aria-pressed": String(this.tab === "settings"), "data-tab": "settings" },
        "Settings",
      );
      settings.addEventListener("click", () => this.showTab("settings"));
      items.push(settings);
    }
    replaceChildren(this.topbarRight, ...items);
  }

  private renderSidebar(): void {
    const unread = this.unreadConversations;
    replaceChildren(this.inboxBadge, unread > 0 ? String(unread) : "");
    this.inboxBadge.title = unread > 0 ? `${unread} conversation${unread > 1 ? "s" : ""} with unread messages` : "";
    this.conversationList.update({
      conversations: this.conversations,
      openId: this.openId,
      selfId: this.selfId(),
      typing: new Set(this.typing.keys()),
    });
  }

  private renderConversationHeader(): void {
    const conversation = this.conversations.find((c) => c.id === this.openId);
    replaceChildren(this.conversationTitle, conversation ? counterpartName(conversation, this.selfId()) : "");
    const typing = conversation !== undefined && this.typing.has(conversation.id);
    const about = [
      typing ? "typing…" : conversation ? presenceLabel(conversation.presence) : null,
      conversation && conversation.state !== "new" ? humanize(conversation.state) : null,
    ];
    replaceChildren(this.conversationSubtitle, about.filter(Boolean).join(" · "));
    this.conversationSubtitle.classList.toggle("typing", typing);
    const muted = this.openId !== null && (this.settings?.mutedConversations.includes(this.openId) ?? false);
    this.muteButton.hidden = this.openId === null;
    this.muteButton.setAttribute("aria-pressed", String(muted));
    replaceChildren(this.muteButton, muted ? "Unmute" : "Mute");
    this.muteButton.title = muted ? "Notify me about this conversation again" : "No notifications for this conversation";
  }

  private renderStatus(): void {
    const now = Date.now();
    if (this.problem && this.problem.until < now) this.problem = null;
    const summary = this.info?.signedIn
      ? connectionSummary(this.connection, this.connectionAt, now)
      : { kind: "none" as const, text: this.info ? "Not signed in" : "Starting…", canRetry: false };
    this.statusBar.update(summary, this.pending, this.problem?.text ?? null, this.latencyMs);
  }
}
