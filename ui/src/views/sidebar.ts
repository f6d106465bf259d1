// The conversation list: buyer (with presence), last message or "typing…", time and unread
// badge. Rows have one fixed height, so only those in view (plus a margin) are in the DOM, however
// many conversations are loaded.

import type { ConversationView } from "../bindings/ConversationView";
import type { PresenceView } from "../bindings/PresenceView";
import { h, replaceChildren, syncChildren } from "../dom";
import { counterpartName, shortTime } from "../format";

/** The height of one row in px; matches `.conversation-list > li` in styles.css. */
export const ROW_HEIGHT = 64;
/** Rows rendered above and below the visible ones. */
const OVERSCAN = 8;
/** How close (px) to the end of the loaded rows the next page is asked for. */
const MORE_PX = 600;

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0], parts[parts.length - 1]] : parts;
  return letters.map((p) => Array.from(p)[0]?.toUpperCase() ?? "").join("") || "?";
}

/** "Online", "Away", "Offline" (or the server's newer word), for a label. */
export function presenceLabel(presence: PresenceView | null): string | null {
  if (!presence) return null;
  const word = presence.status.charAt(0).toUpperCase() + presence.status.slice(1);
  return presence.status !== "online" && presence.lastSeen ? `${word}, last seen ${shortTime(presence.lastSeen)}` : word;
}

/** The dot's colour: the spec's three states, anything newer neutral. */
function presenceTone(status: string): string {
  return status === "online" || status === "away" || status === "offline" ? status : "other";
}

export type ListState = {
  conversations: ConversationView[];
  openId: string | null;
  selfId: string | null;
  /** Conversations in which the buyer is typing right now. */
  typing: ReadonlySet<string>;
};

function rowElement(conversation: ConversationView, state: ListState, onOpen: (id: string) => void): HTMLElement {
  const name = counterpartName(conversation, state.selfId);
  const unread = Number(conversation.unreadCount);
  const open = conversation.id === state.openId;
  const typing = state.typing.has(conversation.id);
  const presence = conversation.presence?.status ?? null;
  const presenceText = presenceLabel(conversation.presence);
  const button = h(
    "button",
    {
      type: "button",
      class: `conversation${open ? " open" : ""}${unread > 0 ? " unread" : ""}`,
      "data-conversation-id": conversation.id,
      "aria-current": open ? "true" : undefined,
      "aria-label": [name, presenceText, typing ? "typing" : null, unread > 0 ? `${unread} unread` : null]
        .filter(Boolean)
        .join(", "),
    },
    h(
      "span",
      { class: "avatar", "aria-hidden": "true" },
      initials(name),
      presence ? h("span", { class: `presence ${presenceTone(presence)}`, title: presenceText ?? "" }) : null,
    ),
    h(
      "span",
      { class: "conversation-text" },
      h(
        "span",
        { class: "conversation-top" },
        h("span", { class: "conversation-name" }, name),
        h("span", { class: "conversation-time" }, conversation.lastMessage ? shortTime(conversation.lastMessage.timestamp) : ""),
      ),
      h(
        "span",
        { class: "conversation-bottom" },
        typing
          ? h("span", { class: "conversation-preview typing" }, "typing…")
          : h("span", { class: "conversation-preview" }, conversation.lastMessage?.content ?? "No messages"),
        unread > 0 ? h("span", { class: "badge", title: `${unread} unread` }, unread > 99 ? "99+" : unread) : null,
      ),
    ),
  );
  button.addEventListener("click", () => onOpen(conversation.id));
  return h("li", {}, button);
}

/** Everything a row shows: the same key, the same row. */
function rowKey(conversation: ConversationView, state: ListState): string {
  return JSON.stringify([
    conversation,
    conversation.id === state.openId,
    state.typing.has(conversation.id),
    state.selfId,
  ]);
}

export class ConversationList {
  readonly element = h("nav", { class: "sidebar", "aria-label": "Conversations" });
  private readonly list = h("ul", { class: "conversation-list" });
  private state: ListState = { conversations: [], openId: null, selfId: null, typing: new Set() };
  private scrollQueued = false;
  /** Rows kept by conversation id while what they show is unchanged: focus and a click in
   * progress survive live updates. */
  private rows = new Map<string, { key: string; element: HTMLElement }>();
  /** What each row shows, worked out once per update (scrolling only moves the window). */
  private keys = new Map<string, string>();
  /** The scroll position, put back when the list is shown again. */
  private savedScrollTop = 0;

  constructor(
    private readonly onOpen: (id: string) => void,
    /** Asked when the seller scrolls near the end of what is loaded. */
    private readonly onNearEnd: () => void,
  ) {
    this.element.addEventListener(
      "scroll",
      () => {
        if (this.element.isConnected && this.element.clientHeight > 0) this.savedScrollTop = this.element.scrollTop;
        if (this.scrollQueued) return;
        this.scrollQueued = true;
        requestAnimationFrame(() => {
          this.scrollQueued = false;
          this.renderRows();
        });
      },
      { passive: true },
    );
  }

  update(state: ListState): void {
    this.state = state;
    this.keys = new Map(state.conversations.map((c) => [c.id, rowKey(c, state)]));
    if (state.conversations.length === 0) {
      replaceChildren(this.element, h("p", { class: "empty" }, "No conversations yet"));
      return;
    }
    if (this.list.parentNode !== this.element) replaceChildren(this.element, this.list);
    this.renderRows();
  }

  /** Puts the scroll position back after the list was detached and attached again. */
  reattached(): void {
    this.element.scrollTop = this.savedScrollTop;
    this.renderRows();
  }

  /** How many conversation rows are in the DOM. */
  get renderedRows(): number {
    return this.list.childElementCount;
  }

  /** Scrolls a conversation's row into view (keyboard navigation). */
  reveal(id: string): void {
    const index = this.state.conversations.findIndex((c) => c.id === id);
    if (index < 0) return;
    const top = index * ROW_HEIGHT;
    const view = this.element;
    if (top < view.scrollTop) view.scrollTop = top;
    else if (top + ROW_HEIGHT > view.scrollTop + view.clientHeight) view.scrollTop = top + ROW_HEIGHT - view.clientHeight;
    this.renderRows();
  }

  private renderRows(): void {
    const { conversations } = this.state;
    const view = this.element;
    // Before the first layout the view has no height: render one screen's worth.
    const height = view.clientHeight || 800;
    const first = Math.max(0, Math.floor(view.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(conversations.length, Math.ceil((view.scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
    this.list.style.height = `${conversations.length * ROW_HEIGHT}px`;
    this.list.style.paddingTop = `${first * ROW_HEIGHT}px`;
    const rows = new Map<string, { key: string; element: HTMLElement }>();
    for (const conversation of conversations.slice(first, last)) {
      const key = this.keys.get(conversation.id) ?? rowKey(conversation, this.state);
      const kept = this.rows.get(conversation.id);
      rows.set(conversation.id, kept && kept.key === key ? kept : { key, element: rowElement(conversation, this.state, this.onOpen) });
    }
    this.rows = rows;
    // Rows that stay are not detached: a focused row keeps its focus.
    syncChildren(
      this.list,
      Array.from(rows.values(), (row) => row.element),
    );
    if (conversations.length * ROW_HEIGHT - (view.scrollTop + height) < MORE_PX) this.onNearEnd();
  }
}
