// Keyboard shortcuts: what a key press asks for, decided apart from the DOM so it can be tested.
//   Ctrl+K (⌘K)          search
//   Alt+1 … Alt+4         Inbox, Orders, Listings, Notifications
//   Alt+↓                 the next conversation with unread messages
//   Esc (in search)       clear the search

import type { ConversationView } from "./bindings/ConversationView";

export type Shortcut =
  | { kind: "search" }
  | { kind: "section"; section: "inbox" | "orders" | "listings" | "notifications" }
  | { kind: "nextUnread" };

const SECTIONS = ["inbox", "orders", "listings", "notifications"] as const;

export function shortcutFor(event: Pick<KeyboardEvent, "key" | "code" | "ctrlKey" | "metaKey" | "altKey" | "shiftKey">): Shortcut | null {
  if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "k") return { kind: "search" };
  if (event.altKey && !event.ctrlKey && !event.metaKey) {
    // `code`, not `key`: Alt+digit types other characters on some layouts.
    const digit = /^Digit([1-4])$/.exec(event.code);
    if (digit) return { kind: "section", section: SECTIONS[Number(digit[1]) - 1] ?? "inbox" };
    if (event.key === "ArrowDown") return { kind: "nextUnread" };
  }
  return null;
}

/** The first conversation after the open one (wrapping around) that has unread messages. */
export function nextUnread(conversations: ConversationView[], openId: string | null): string | null {
  const start = conversations.findIndex((c) => c.id === openId);
  for (let step = 1; step <= conversations.length; step++) {
    const candidate = conversations[(start + step + conversations.length) % conversations.length];
    if (candidate && candidate.id !== openId && Number(candidate.unreadCount) > 0) return candidate.id;
  }
  return null;
}

/** Unsent text per conversation, for this session (never written to disk). */
export class Drafts {
  private readonly texts = new Map<string, string>();

  save(conversationId: string, text: string): void {
    if (text.trim() === "") this.texts.delete(conversationId);
    else this.texts.set(conversationId, text);
  }

  take(conversationId: string): string {
    return this.texts.get(conversationId) ?? "";
  }

  clear(): void {
    this.texts.clear();
  }
}
