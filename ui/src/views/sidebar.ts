// The conversation list: buyer, last message, time and unread badge.

import type { ConversationView } from "../bindings/ConversationView";
import { h, replaceChildren } from "../dom";
import { counterpartName, shortTime } from "../format";

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0], parts[parts.length - 1]] : parts;
  return letters.map((p) => Array.from(p)[0]?.toUpperCase() ?? "").join("") || "?";
}

export function renderConversationList(
  list: HTMLElement,
  conversations: ConversationView[],
  openId: string | null,
  selfId: string | null,
  onOpen: (id: string) => void,
): void {
  if (conversations.length === 0) {
    replaceChildren(list, h("p", { class: "empty" }, "No conversations yet"));
    return;
  }
  const items = conversations.map((conversation) => {
    const name = counterpartName(conversation, selfId);
    const unread = Number(conversation.unreadCount);
    const button = h(
      "button",
      {
        type: "button",
        class: `conversation${conversation.id === openId ? " open" : ""}${unread > 0 ? " unread" : ""}`,
        "data-conversation-id": conversation.id,
        "aria-current": conversation.id === openId ? "true" : undefined,
      },
      h("span", { class: "avatar", "aria-hidden": "true" }, initials(name)),
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
          h("span", { class: "conversation-preview" }, conversation.lastMessage?.content ?? "No messages"),
          unread > 0 ? h("span", { class: "badge", title: `${unread} unread` }, unread > 99 ? "99+" : unread) : null,
        ),
      ),
    );
    button.addEventListener("click", () => onOpen(conversation.id));
    return h("li", {}, button);
  });
  replaceChildren(list, h("ul", { class: "conversation-list" }, ...items));
}
