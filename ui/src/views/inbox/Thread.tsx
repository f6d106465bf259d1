// The open conversation's messages: a run of the thread in memory (threadRun.ts), a window of it
// in the DOM (the list component). Its newest page is a query keyed by the conversation, so a
// live message costs one fetch; older and newer pages load as the seller scrolls near an edge.

import { createQuery, useQueryClient } from "@tanstack/solid-query";
import { type JSX, createEffect, createMemo, createSignal, on, onCleanup } from "solid-js";
import type { MessageView } from "../../bindings/MessageView";
import type { ThreadAnchor } from "../../bindings/ThreadAnchor";
import type { ThreadPage } from "../../bindings/ThreadPage";
import { commands } from "../../bindings/commands";
import { PAGES } from "../../bindings/pages";
import { type ListHandle, List } from "../../components/List";
import { toCommandError } from "../../ipc";
import { keys } from "../../queries/keys";
import { useApp } from "../../app/context";
import { type MessageContext, isOwn } from "../messages/context";
import { MessageRow } from "../messages/MessageRow";
import {
  EMPTY_RUN,
  MAX_ROWS,
  SHIFT,
  type ThreadRun,
  appendNewer,
  edges,
  fromPage,
  mergeNewest,
  prependOlder,
} from "./threadRun";

/** How long a message opened from search stays marked. */
const FOUND_MS = 3_000;

export type ThreadProps = {
  conversationId: string;
  /** Opened around this message (from search), marked for a moment. */
  foundMessageId: string | null;
  context: Omit<MessageContext, "foundId">;
};

/** What a screen reader says of messages that just arrived. */
export function newMessageText(last: MessageView, count: number): string {
  const text = last.content.length > 200 ? `${last.content.slice(0, 200)}…` : last.content;
  const from = `${count > 1 ? `${count} new messages` : "New message"} from ${last.sender.name}`;
  return text ? `${from}: ${text}` : from;
}

function cursorOf(message: MessageView) {
  return { timestamp: message.timestamp, id: message.id };
}

export function Thread(props: ThreadProps): JSX.Element {
  const app = useApp();
  const client = useQueryClient();
  const id = props.conversationId;
  const [run, setRun] = createSignal<ThreadRun>(EMPTY_RUN);
  const [found, setFound] = createSignal<string | null>(props.foundMessageId);
  const [opened, setOpened] = createSignal(props.foundMessageId === null);
  const [position, setPosition] = createSignal({ atEnd: true, farFromEnd: false });
  let list: ListHandle | undefined;
  let loading = false;
  let newestWaiting: ThreadPage | null = null;
  let disposed = false;
  onCleanup(() => (disposed = true));

  const page = (anchor: ThreadAnchor, part: string) =>
    client.fetchQuery({
      queryKey: [...keys.thread(id), part],
      queryFn: () => commands.listMessages(id, anchor, PAGES.thread),
    });

  // The newest page: fetched again whenever the backend says this conversation changed. While
  // the seller reads far back (`hasNewer`), it waits until they come down.
  const newest = createQuery(() => ({
    queryKey: keys.threadNewest(id),
    queryFn: () => commands.listMessages(id, { from: "newest" }, PAGES.thread),
    enabled: opened() && !run().hasNewer,
  }));

  // New messages from the buyer are announced politely (the list itself is not a live region:
  // its window moving would read old messages out).
  const [announcement, setAnnouncement] = createSignal("");

  function merge(next: ThreadPage): void {
    if (loading) {
      newestWaiting = next;
      return;
    }
    const window = list?.window() ?? { start: 0, end: 0 };
    const before = run().messages;
    const following = position().atEnd || before.length === 0;
    setRun(mergeNewest(run(), next, following, window));
    if (before.length > 0) {
      const known = new Set(before.map((m) => m.id));
      const arrived = next.messages.filter((m) => !known.has(m.id) && !isOwn(m));
      const last = arrived[arrived.length - 1];
      if (last) setAnnouncement(newMessageText(last, arrived.length));
    }
  }

  createEffect(
    on(
      () => newest.data,
      (data) => {
        if (data) merge(data);
      },
    ),
  );
  createEffect(() => {
    if (newest.error) app.showProblem(toCommandError(newest.error).message);
  });

  // Opened at a message found by search: the page around it first (marked for a moment), then
  // the newest as usual. Also when search finds one in the conversation already open.
  let foundTimer: number | undefined;
  onCleanup(() => window.clearTimeout(foundTimer));
  function openAround(messageId: string): void {
    setFound(messageId);
    window.clearTimeout(foundTimer);
    foundTimer = window.setTimeout(() => {
      setFound(null);
      app.clearFound(messageId);
    }, FOUND_MS);
    const shown = run().messages.some((m) => m.id === messageId);
    if (shown) {
      list?.reveal(messageId, "center");
      return;
    }
    page({ from: "around", messageId }, `around:${messageId}`)
      .then((around) => {
        if (disposed) return;
        setRun(fromPage(around));
        setOpened(true);
        queueMicrotask(() => list?.reveal(messageId, "center"));
      })
      .catch((error) => {
        if (disposed) return;
        app.showProblem(toCommandError(error).message);
        // The thread still shows, from its newest messages.
        setOpened(true);
      });
  }
  if (props.foundMessageId !== null) openAround(props.foundMessageId);
  createEffect(
    on(
      () => props.foundMessageId,
      (messageId) => messageId !== null && openAround(messageId),
      { defer: true },
    ),
  );

  async function load(direction: "older" | "newer"): Promise<void> {
    const edge = direction === "older" ? edges(run()).oldest : edges(run()).newest;
    if (loading || !edge) return;
    loading = true;
    try {
      const anchor: ThreadAnchor =
        direction === "older" ? { from: "before", cursor: cursorOf(edge) } : { from: "after", cursor: cursorOf(edge) };
      const more = await page(anchor, `${anchor.from}:${edge.id}`);
      if (disposed) return;
      // The page joins the run only where it was asked for.
      const now = direction === "older" ? edges(run()).oldest : edges(run()).newest;
      if (now?.id !== edge.id) return;
      const window = list?.window() ?? { start: 0, end: 0 };
      setRun(direction === "older" ? prependOlder(run(), more, window) : appendNewer(run(), more, window));
    } catch (error) {
      if (!disposed) app.showProblem(toCommandError(error).message);
    } finally {
      loading = false;
      const waiting = newestWaiting;
      newestWaiting = null;
      if (waiting && !disposed) merge(waiting);
    }
  }

  function jumpToNewest(): void {
    if (run().hasNewer) {
      // Far back in history: start again from the newest page.
      setRun(EMPTY_RUN);
      void client.invalidateQueries({ queryKey: keys.threadNewest(id) });
    } else list?.scrollToEnd();
  }

  const context = createMemo<MessageContext>(() => ({ ...props.context, foundId: found() }));

  return (
    <div class="thread">
      <List
        items={run().messages}
        keyField="id"
        maxRows={MAX_ROWS}
        shift={SHIFT}
        followEnd={props.foundMessageId === null}
        hasBefore={run().hasOlder}
        hasAfter={run().hasNewer}
        onNeedBefore={() => void load("older")}
        onNeedAfter={() => void load("newer")}
        saveAs={`thread:${id}`}
        onPosition={setPosition}
        ref={(handle) => (list = handle)}
        class="message-scroller"
        listClass="messages"
        ordered
        label="Messages"
        empty={<p class="empty">{newest.isPending && opened() ? "Loading…" : "No messages yet"}</p>}
      >
        {(message) => <MessageRow message={message} context={context()} />}
      </List>
      <button
        type="button"
        class="jump-newest"
        aria-label="Jump to the newest message"
        hidden={!(run().hasNewer || position().farFromEnd)}
        onClick={jumpToNewest}
      >
        ↓ Newest
      </button>
      <p class="visually-hidden" aria-live="polite" dir="auto">
        {announcement()}
      </p>
    </div>
  );
}
