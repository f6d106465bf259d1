// The conversation list: buyer (with presence), last message or "typing…", time and unread
// badge, newest first, a page at a time.

import { type JSX, Show } from "solid-js";
import type { ConversationView } from "../../bindings/ConversationView";
import { List, type ListHandle } from "../../components/List";
import { counterpartName, shortTime } from "../../format";
import { initials, presenceLabel, presenceTone } from "./people";

/** Conversation rows in the DOM at most, how far the window moves, and how close to an edge of
 * the rows it does. Every row in the DOM is laid out and painted again when the list refetches
 * (a live message reorders it), so the window is kept to a few screens: 60 rows are about
 * 3,600 px at 100 % text and still 1,800 px at 50 %, beyond a screen and the two edges. */
const MAX_ROWS = 60;
const SHIFT = 20;
const EDGE_PX = 400;

export type ConversationListProps = {
  conversations: readonly ConversationView[];
  openId: string | null;
  selfId: string | null;
  typing: Record<string, number>;
  hasMore: boolean;
  onMore: () => void;
  onOpen: (id: string) => void;
  ref?: (handle: ListHandle) => void;
};

function ConversationRow(props: { conversation: ConversationView; list: ConversationListProps }): JSX.Element {
  const c = () => props.conversation;
  const name = () => counterpartName(c(), props.list.selfId);
  const unread = () => Number(c().unreadCount);
  const open = () => c().id === props.list.openId;
  const typing = () => props.list.typing[c().id] !== undefined;
  const presence = () => c().presence?.status ?? null;
  const presenceText = () => presenceLabel(c().presence);
  return (
    <li>
      <button
        type="button"
        class="conversation"
        classList={{ open: open(), unread: unread() > 0 }}
        data-conversation-id={c().id}
        aria-current={open() ? "true" : undefined}
        onClick={() => props.list.onOpen(c().id)}
      >
        <span class="avatar" aria-hidden="true">
          {initials(name())}
          <Show when={presence()}>{(status) => <span class={`presence ${presenceTone(status())}`} title={presenceText() ?? ""} />}</Show>
        </span>
        <span class="conversation-text">
          <span class="conversation-top">
            <span class="conversation-name" dir="auto">
              {name()}
            </span>
            {/* The button is named by what it shows; what only the dot shows is said in words. */}
            <Show when={presenceText()}>{(text) => <span class="visually-hidden">, {text()}</span>}</Show>
            <span class="conversation-time">{c().lastMessage ? shortTime(c().lastMessage!.timestamp) : ""}</span>
          </span>
          <span class="conversation-bottom">
            <Show
              when={!typing()}
              fallback={<span class="conversation-preview typing">typing…</span>}
            >
              <span class="conversation-preview" dir="auto">
                {c().lastMessage?.content ?? "No messages"}
              </span>
            </Show>
            <Show when={unread() > 0}>
              <span class="badge" title={`${unread()} unread`}>
                {unread() > 99 ? "99+" : unread()}
                <span class="visually-hidden"> unread</span>
              </span>
            </Show>
          </span>
        </span>
      </button>
    </li>
  );
}

export function ConversationList(props: ConversationListProps): JSX.Element {
  return (
    <nav class="sidebar-nav" aria-label="Conversations">
      <List
        items={props.conversations}
        keyField="id"
        maxRows={MAX_ROWS}
        shift={SHIFT}
        edgePx={EDGE_PX}
        hasAfter={props.hasMore}
        onNeedAfter={props.onMore}
        saveAs="conversations"
        ref={props.ref}
        class="sidebar"
        listClass="conversation-list"
        label="Conversation list"
        empty={<p class="empty">No conversations yet</p>}
      >
        {(conversation) => <ConversationRow conversation={conversation} list={props} />}
      </List>
    </nav>
  );
}
