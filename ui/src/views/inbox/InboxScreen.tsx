// The inbox: the conversation list beside the open conversation.

import { createQuery, useQueryClient } from "@tanstack/solid-query";
import { type JSX, Show, createEffect, createMemo, on, onCleanup, untrack } from "solid-js";
import { useApp } from "../../app/context";
import type { ConversationView } from "../../bindings/ConversationView";
import { commands } from "../../bindings/commands";
import { PAGES } from "../../bindings/pages";
import type { ListHandle } from "../../components/List";
import { counterpartName, humanize } from "../../format";
import { toCommandError } from "../../ipc";
import { type Drafts, nextUnread } from "../../keys";
import { createGrowingList } from "../../queries/paged";
import { keys } from "../../queries/keys";
import type { MessageActions } from "../messages/context";
import { Composer } from "./Composer";
import { ConversationList } from "./ConversationList";
import { Thread } from "./Thread";
import { presenceLabel } from "./people";

/** What message rows can do: previews and downloads through the backend, links after a confirmation. */
const MESSAGE_ACTIONS: MessageActions = {
  preview: (messageId, url) => commands.attachmentPreview(messageId, url),
  save: (messageId, url, name, confirmed) => commands.saveAttachment(messageId, url, name, confirmed),
  openLink: async (url) => {
    await commands.openLink(url);
  },
};

let firstPaintReported = false;

/** Start-up timing: tells the backend once, after the browser painted the first conversations. */
function reportFirstPaint(count: number): void {
  if (firstPaintReported || count === 0) return;
  firstPaintReported = true;
  requestAnimationFrame(() => requestAnimationFrame(() => void commands.firstPaint(count).catch(() => {})));
}

export type InboxProps = { drafts: Drafts };

export function InboxScreen(props: InboxProps): JSX.Element {
  const app = useApp();
  const client = useQueryClient();
  let list: ListHandle | undefined;
  const conversations = createGrowingList<ConversationView>(() => ({
    key: (count) => keys.conversationList(count),
    fetch: (limit, offset) => commands.listConversations(limit, offset),
    step: PAGES.conversations,
  }));
  createEffect(() => reportFirstPaint(conversations.rows().length));
  createEffect(() => {
    const error = conversations.error();
    if (error) app.showProblem(error.message);
  });

  const openId = () => app.state.route.conversationId;
  const open = createMemo(() => conversations.rows().find((c) => c.id === openId()) ?? null);

  const settings = createQuery(() => ({ queryKey: keys.notificationSettings(), queryFn: () => commands.notificationSettings() }));
  const preferences = createQuery(() => ({ queryKey: keys.desktopPreferences(), queryFn: () => commands.desktopPreferences() }));

  // The seller reads a conversation by having it open in the focused window: its unread
  // messages are marked read when it opens, and when the window comes back into focus. (New
  // ones that arrive while it is open and focused the backend marks read itself; the marks
  // come back as a batch that refreshes the list.)
  function markOpenRead(): void {
    const id = openId();
    const unread = untrack(() => open()?.unreadCount);
    if (!id || !unread || Number(unread) === 0 || !document.hasFocus()) return;
    commands.markConversationRead(id).catch((error) => app.showProblem(toCommandError(error).message));
  }
  createEffect(on(openId, markOpenRead));
  // The list may come after the conversation opened (a notification click at start-up).
  createEffect(on(() => open() !== null, (shown) => shown && markOpenRead(), { defer: true }));
  window.addEventListener("focus", markOpenRead);
  onCleanup(() => window.removeEventListener("focus", markOpenRead));

  // Alt+↓: the next conversation with unread messages.
  const onKey = (event: KeyboardEvent) => {
    if (!event.altKey || event.ctrlKey || event.metaKey || event.key !== "ArrowDown") return;
    const next = nextUnread(conversations.rows(), openId());
    if (!next) return;
    event.preventDefault();
    app.openConversation(next);
    list?.reveal(next);
  };
  document.addEventListener("keydown", onKey);
  onCleanup(() => document.removeEventListener("keydown", onKey));

  const muted = () => {
    const id = openId();
    return id !== null && (settings.data?.mutedConversations.includes(id) ?? false);
  };
  async function toggleMute(): Promise<void> {
    const id = openId();
    const current = settings.data;
    if (!id || !current) return;
    const next = {
      ...current,
      mutedConversations: muted() ? current.mutedConversations.filter((c) => c !== id) : [...current.mutedConversations, id],
    };
    try {
      await commands.setNotificationSettings(next);
      client.setQueryData(keys.notificationSettings(), next);
    } catch (error) {
      app.showProblem(toCommandError(error).message);
    }
  }

  async function send(id: string, text: string): Promise<boolean> {
    try {
      await commands.sendMessage(id, text);
      // Shown at once as queued, at the bottom; events move it to sent, delivered and read.
      await client.invalidateQueries({ queryKey: keys.threadNewest(id) });
      return true;
    } catch (error) {
      app.showProblem(toCommandError(error).message);
      return false;
    }
  }

  const messageContext = createMemo(() => ({
    selfId: app.selfId(),
    actions: MESSAGE_ACTIONS,
    hideReadReceipts: preferences.data?.showReadReceipts === false,
    loadPreviews: preferences.data?.loadPreviewsAutomatically !== false,
    onRetry: (clientMessageId: string) => {
      const id = openId();
      commands
        .retryMessage(clientMessageId)
        .then(() => (id ? client.invalidateQueries({ queryKey: keys.threadNewest(id) }) : undefined))
        .catch((error) => app.showProblem(toCommandError(error).message));
    },
  }));

  const typing = () => {
    const id = openId();
    return id !== null && app.state.typing[id] !== undefined;
  };
  const subtitle = () => {
    const c = open();
    const about = [typing() ? "typing…" : c ? presenceLabel(c.presence) : null, c && c.state !== "new" ? humanize(c.state) : null];
    return about.filter(Boolean).join(" · ");
  };

  return (
    <div class="inbox">
      <ConversationList
        conversations={conversations.rows()}
        openId={openId()}
        selfId={app.selfId()}
        typing={app.state.typing}
        hasMore={conversations.hasMore()}
        onMore={() => conversations.loadMore()}
        onOpen={(id) => app.openConversation(id)}
        ref={(handle) => (list = handle)}
      />
      <section class="conversation-pane" aria-label="Conversation">
        <header class="conversation-header">
          <h2 class="conversation-title" dir="auto">
            {open() ? counterpartName(open()!, app.selfId()) : ""}
          </h2>
          <span class="conversation-subtitle muted" classList={{ typing: typing() }}>
            {subtitle()}
          </span>
          <Show when={openId()}>
            <button
              type="button"
              class="ghost mute-toggle"
              aria-pressed={muted() ? "true" : "false"}
              title={muted() ? "Notify me about this conversation again" : "No notifications for this conversation"}
              onClick={() => void toggleMute()}
            >
              {muted() ? "Unmute" : "Mute"}
            </button>
          </Show>
        </header>
        <Show
          when={openId()}
          keyed
          fallback={
            <div class="thread">
              <div class="message-scroller">
                <p class="empty">Select a conversation</p>
              </div>
            </div>
          }
        >
          {(id) => (
            <>
              <Thread conversationId={id} foundMessageId={app.state.route.foundMessageId} context={messageContext()} />
              <Composer conversationId={id} drafts={props.drafts} onSend={(text) => send(id, text)} autofocus />
            </>
          )}
        </Show>
      </section>
    </div>
  );
}
