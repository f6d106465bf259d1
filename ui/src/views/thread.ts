// The open conversation's messages as a windowed list: a thread of any length keeps a few
// hundred rows in the DOM and a bounded run of messages in memory. Scrolling near an edge moves
// the window (fetching the next page from the cache when needed) and keeps the message under
// the seller's eyes where it was, so nothing jumps.

import type { MessageView } from "../bindings/MessageView";
import type { ThreadAnchor } from "../bindings/ThreadAnchor";
import type { ThreadPage } from "../bindings/ThreadPage";
import { h, replaceChildren, syncChildren } from "../dom";
import { isUnsent } from "../format";
import { releasePreviews } from "./attachments";
import { type MessageContext, messageElement } from "./message";

/** Messages fetched per page. */
export const PAGE = 100;
/** At most this many rows are in the DOM. */
export const MAX_ROWS = 200;
/** At most this many messages are kept in memory; the far side is dropped beyond it. */
export const MAX_LOADED = 1000;
/** Rows the window moves by when the seller nears one of its edges. */
const SHIFT = 60;
/** How close (px) to an edge of the rendered rows the window moves or the next page loads. */
const EDGE_PX = 800;
/** Within this distance (px) of the bottom the view counts as following the newest message. */
const PINNED_PX = 40;

export type LoadPage = (conversationId: string, anchor: ThreadAnchor, limit: number) => Promise<ThreadPage>;

type Row = { key: string; element: HTMLElement };

/** What decides whether a message's row must be rebuilt. */
function rowKey(message: MessageView, foundId: string | null): string {
  return `${message.id}\u0000${message.status}\u0000${message.failure ?? ""}\u0000${message.id === foundId}`;
}

function cursorOf(message: MessageView): { timestamp: string; id: string } {
  return { timestamp: message.timestamp, id: message.id };
}

export class Thread {
  /** The scrolling element, wrapped with the "newest" button. */
  readonly element: HTMLElement;
  readonly scroller = h("div", { class: "message-scroller", tabindex: 0, "aria-label": "Messages" });
  private readonly list = h("ol", { class: "messages", "aria-live": "polite", "aria-relevant": "additions" });
  private readonly newestButton = h(
    "button",
    { type: "button", class: "jump-newest", "aria-label": "Jump to the newest message", hidden: true },
    "↓ Newest",
  );

  private conversationId: string | null = null;
  /** A contiguous run of the thread, oldest first. */
  private items: MessageView[] = [];
  private hasOlder = false;
  private hasNewer = false;
  /** The rendered window: items[start, end). */
  private start = 0;
  private end = 0;
  private rows = new Map<string, Row>();
  private loading = false;
  /** A live refresh that came while a page was loading; it runs when the page is in. */
  private refreshWaiting = false;
  /** Where the view was, so it can be put back when the thread is shown again (a detached
   * scroller forgets its position). */
  private saved: { pinned: boolean; scrollTop: number } = { pinned: true, scrollTop: 0 };
  /** Bumped when another conversation opens, so late pages of the last one are dropped. */
  private generation = 0;
  private scrollQueued = false;

  constructor(
    private readonly load: LoadPage,
    private context: MessageContext,
  ) {
    this.element = h("div", { class: "thread" }, this.scroller, this.newestButton);
    this.scroller.addEventListener("scroll", () => this.onScroll(), { passive: true });
    this.newestButton.addEventListener("click", () => void this.jumpToNewest());
  }

  /** How many message rows are in the DOM (for tests and measurements). */
  get renderedRows(): number {
    return this.list.childElementCount;
  }

  get loaded(): number {
    return this.items.length;
  }

  get openConversation(): string | null {
    return this.conversationId;
  }

  /** Shows a placeholder instead of a thread. */
  clear(text: string): void {
    this.generation++;
    this.conversationId = null;
    this.items = [];
    this.dropRows();
    this.start = this.end = 0;
    this.newestButton.hidden = true;
    replaceChildren(this.scroller, h("p", { class: "empty" }, text));
  }

  /** Opens a conversation at its newest message, or around `messageId` (marked as found). */
  async open(conversationId: string, messageId: string | null = null): Promise<void> {
    const generation = ++this.generation;
    this.conversationId = conversationId;
    this.context = { ...this.context, foundId: messageId };
    this.items = [];
    this.loading = false;
    this.refreshWaiting = false;
    this.dropRows();
    this.start = this.end = 0;
    replaceChildren(this.scroller);
    this.saved = { pinned: messageId === null, scrollTop: 0 };
    const anchor: ThreadAnchor = messageId ? { from: "around", messageId } : { from: "newest" };
    const page = await this.load(conversationId, anchor, PAGE);
    if (generation !== this.generation) return;
    this.items = page.messages;
    this.hasOlder = page.hasOlder;
    this.hasNewer = page.hasNewer;
    this.end = this.items.length;
    this.start = Math.max(0, this.end - MAX_ROWS);
    this.render(null);
    const found = messageId ? this.rowElement(messageId) : null;
    // Centred in the thread's own scroller (scrollIntoView would scroll the page's panes too).
    if (found) this.scroller.scrollTop = found.offsetTop - (this.scroller.clientHeight - found.offsetHeight) / 2;
    else this.scroller.scrollTop = this.scroller.scrollHeight;
    this.updateNewestButton();
  }

  /** Live update: the newest page is fetched again and merged; rows that did not change stay. */
  async refresh(): Promise<void> {
    const id = this.conversationId;
    // Reading older history: what changed at the newest end waits for the seller to go there.
    if (!id || this.hasNewer) {
      this.updateNewestButton();
      return;
    }
    if (this.loading) {
      this.refreshWaiting = true;
      return;
    }
    const generation = this.generation;
    const page = await this.load(id, { from: "newest" }, PAGE);
    // A page of older (or newer) history that loaded meanwhile changed `items`: start again.
    if (generation !== this.generation || this.loading) {
      if (generation === this.generation) this.refreshWaiting = true;
      return;
    }
    const pinned = this.isPinned();
    const followsNewest = pinned || this.end >= this.items.length;
    const first = page.messages[0];
    const at = first ? this.lastIndexOf(first.id) : -1;
    if (at >= 0) {
      this.items = this.items.slice(0, at).concat(page.messages);
      this.hasNewer = false;
    } else if (followsNewest || this.items.length === 0) {
      // More arrived than a page (or the thread was empty): start again from the newest.
      this.items = page.messages;
      this.hasOlder = page.hasOlder;
      this.hasNewer = false;
      this.start = 0;
    } else {
      // More arrived than a page while the seller reads further up: keep what they read; the
      // newest are a "Newest" click (or a scroll down) away.
      this.hasNewer = true;
      this.updateNewestButton();
      return;
    }
    this.end = followsNewest ? this.items.length : Math.min(this.end, this.items.length);
    this.start = Math.max(0, Math.min(this.start, this.end - 1), this.end - MAX_ROWS);
    this.trim("older");
    this.render(pinned ? null : this.visibleAnchor());
    if (pinned) this.scroller.scrollTop = this.scroller.scrollHeight;
    this.updateNewestButton();
  }

  /** Marks (or unmarks) a message found by search; its row is rebuilt. */
  setFound(messageId: string | null): void {
    if (this.context.foundId === messageId) return;
    this.context = { ...this.context, foundId: messageId };
    this.render(this.visibleAnchor());
  }

  /** Other context changes (the seller's id became known): every row is rebuilt. */
  setContext(context: Omit<MessageContext, "foundId">): void {
    this.context = { ...context, foundId: this.context.foundId };
    this.rows.clear();
    this.render(this.visibleAnchor());
  }

  async jumpToNewest(): Promise<void> {
    if (!this.conversationId) return;
    if (this.hasNewer) {
      await this.open(this.conversationId);
      return;
    }
    this.end = this.items.length;
    this.start = Math.max(0, this.end - MAX_ROWS);
    this.render(null);
    this.scroller.scrollTop = this.scroller.scrollHeight;
    this.updateNewestButton();
  }

  // ---- scrolling ----------------------------------------------------------------------------

  private onScroll(): void {
    // A detached scroller reports 0: only positions while shown are kept.
    if (this.scroller.isConnected && this.scroller.clientHeight > 0) {
      const { scrollTop, scrollHeight, clientHeight } = this.scroller;
      this.saved = { pinned: scrollHeight - scrollTop - clientHeight < PINNED_PX, scrollTop };
    }
    if (this.scrollQueued) return;
    this.scrollQueued = true;
    requestAnimationFrame(() => {
      this.scrollQueued = false;
      void this.followScroll();
    });
  }

  /** Moves the window (or loads the next page) when the seller nears an edge of the rows. */
  async followScroll(): Promise<void> {
    if (this.loading || !this.conversationId) return;
    const { scrollTop, scrollHeight, clientHeight } = this.scroller;
    if (scrollTop < EDGE_PX) {
      if (this.start > 0) this.moveWindow(-SHIFT);
      else if (this.hasOlder) await this.loadMore("older");
    } else if (scrollHeight - scrollTop - clientHeight < EDGE_PX) {
      if (this.end < this.items.length) this.moveWindow(SHIFT);
      else if (this.hasNewer) await this.loadMore("newer");
    }
    this.updateNewestButton();
  }

  private moveWindow(by: number): void {
    const size = Math.min(MAX_ROWS, this.items.length);
    this.start = Math.max(0, Math.min(this.start + by, this.items.length - size));
    this.end = this.start + size;
    this.render(this.visibleAnchor());
  }

  private async loadMore(direction: "older" | "newer"): Promise<void> {
    const id = this.conversationId;
    // Unsent messages carry a local time and id: pages start from the server's messages.
    const sent = this.items.filter((m) => !isUnsent(m));
    const edge = direction === "older" ? sent[0] : sent[sent.length - 1];
    if (!id || !edge) return;
    const generation = this.generation;
    this.loading = true;
    try {
      const anchor: ThreadAnchor =
        direction === "older" ? { from: "before", cursor: cursorOf(edge) } : { from: "after", cursor: cursorOf(edge) };
      const page = await this.load(id, anchor, PAGE);
      if (generation !== this.generation) return;
      // The page joins the run only where it was asked for.
      const stillEdge = direction === "older" ? this.items.find((m) => !isUnsent(m)) : this.items.filter((m) => !isUnsent(m)).pop();
      if (stillEdge?.id !== edge.id) return;
      if (direction === "older") {
        this.items = page.messages.concat(this.items);
        this.hasOlder = page.hasOlder;
        this.start += page.messages.length;
        this.end += page.messages.length;
        this.trim("newer");
      } else {
        this.items = this.items.concat(page.messages);
        this.hasNewer = page.hasNewer;
        this.trim("older");
      }
      this.moveWindow(direction === "older" ? -SHIFT : SHIFT);
    } finally {
      if (generation === this.generation) {
        this.loading = false;
        if (this.refreshWaiting) {
          this.refreshWaiting = false;
          void this.refresh();
        }
      }
    }
  }

  /** Keeps at most MAX_LOADED messages, dropping from the side away from the window. */
  private trim(side: "older" | "newer"): void {
    const excess = this.items.length - MAX_LOADED;
    if (excess <= 0) return;
    if (side === "newer") {
      const keep = Math.max(this.end, this.items.length - excess);
      if (keep < this.items.length) {
        // Unsent messages only ride at the newest end; they come back with it.
        this.items = this.items.slice(0, keep).filter((m) => !isUnsent(m));
        this.end = Math.min(this.end, this.items.length);
        this.start = Math.min(this.start, this.end);
        this.hasNewer = true;
      }
    } else {
      const drop = Math.min(this.start, excess);
      if (drop > 0) {
        this.items = this.items.slice(drop);
        this.start -= drop;
        this.end -= drop;
        this.hasOlder = true;
      }
    }
  }

  // ---- rendering ----------------------------------------------------------------------------

  /** The first row at least partly in view and how far its top is from the view's top. */
  private visibleAnchor(): { id: string; offset: number } | null {
    const top = this.scroller.scrollTop;
    for (const element of this.list.children) {
      const row = element as HTMLElement;
      if (row.offsetTop + row.offsetHeight > top) {
        return { id: row.dataset.messageId ?? "", offset: row.offsetTop - top };
      }
    }
    return null;
  }

  private rowElement(messageId: string): HTMLElement | null {
    return this.rows.get(messageId)?.element ?? null;
  }

  private lastIndexOf(messageId: string): number {
    for (let i = this.items.length - 1; i >= 0; i--) if (this.items[i].id === messageId) return i;
    return -1;
  }

  private render(anchor: { id: string; offset: number } | null): void {
    if (this.items.length === 0) {
      this.rows.clear();
      replaceChildren(this.scroller, h("p", { class: "empty" }, "No messages yet"));
      return;
    }
    const rows = new Map<string, Row>();
    const elements: HTMLElement[] = [];
    const previous = this.rows;
    for (const message of this.items.slice(this.start, this.end)) {
      const key = rowKey(message, this.context.foundId);
      const kept = this.rows.get(message.id);
      const row = kept && kept.key === key ? kept : { key, element: messageElement(message, this.context) };
      rows.set(message.id, row);
      elements.push(row.element);
    }
    this.rows = rows;
    for (const [id, row] of previous) if (rows.get(id) !== row) releasePreviews(row.element);
    syncChildren(this.list, elements);
    if (this.list.parentNode !== this.scroller) replaceChildren(this.scroller, this.list);
    const kept = anchor ? this.rowElement(anchor.id) : null;
    if (anchor && kept) this.scroller.scrollTop = kept.offsetTop - anchor.offset;
  }

  private dropRows(): void {
    for (const row of this.rows.values()) releasePreviews(row.element);
    this.rows.clear();
  }

  /** Puts the view back where it was after the thread was detached and attached again. */
  reattached(): void {
    if (!this.conversationId) return;
    if (this.saved.pinned && this.end >= this.items.length) this.scroller.scrollTop = this.scroller.scrollHeight;
    else this.scroller.scrollTop = this.saved.scrollTop;
  }

  private isPinned(): boolean {
    const { scrollTop, scrollHeight, clientHeight } = this.scroller;
    return this.end >= this.items.length && scrollHeight - scrollTop - clientHeight < PINNED_PX;
  }

  private updateNewestButton(): void {
    const { scrollTop, scrollHeight, clientHeight } = this.scroller;
    const far = scrollHeight - scrollTop - clientHeight > 2 * Math.max(clientHeight, 1);
    this.newestButton.hidden = !(this.hasNewer || this.end < this.items.length || far);
  }
}
