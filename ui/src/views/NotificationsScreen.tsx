// The notification center: the marketplace's system notifications (with their action and expiry;
// expired ones never arrive here) and the seller's own notifications, unread first, a page at a
// time. Marking read goes to the backend, then the notification pages are fetched again.

import { useQueryClient } from "@tanstack/solid-query";
import { For, type JSX, Show, createEffect, createSignal } from "solid-js";
import { useApp } from "../app/context";
import { commands } from "../bindings/commands";
import type { NotificationView } from "../bindings/NotificationView";
import { PAGES } from "../bindings/pages";
import { humanize, shortTime } from "../format";
import { toCommandError } from "../ipc";
import { keys } from "../queries/keys";
import { createPagedList } from "../queries/paged";
import { ShowMore } from "./ShowMore";
import { PagedContent } from "../components/PagedContent";

function tags(item: NotificationView): string {
  const tags = [item.source === "system" ? "Marketplace" : "For you", humanize(item.kind)];
  if (item.priority) tags.push(`${humanize(item.priority)} priority`);
  return tags.join(" · ") + (item.expiresAt ? ` · until ${shortTime(item.expiresAt)}` : "");
}

function ActionLine(props: { item: NotificationView }): JSX.Element {
  // Shown, never followed automatically: the URL is text the seller can read first.
  return (
    <Show when={props.item.action}>
      {(action) => (
        <span class="notification-action muted" dir="auto">
          {`${humanize(action().type)}: ${action().label}`}
          <Show when={action().url}>{(url) => <span class="action-url" dir="auto">{` (${url()})`}</span>}</Show>
        </span>
      )}
    </Show>
  );
}

function NotificationItem(props: { item: NotificationView; marking: boolean; onMarkRead: (id: string) => void }): JSX.Element {
  return (
    <li
      class="notification"
      classList={{ unread: !props.item.read }}
      data-notification-id={props.item.id}
      data-priority={props.item.priority ?? undefined}
    >
      <div class="notification-top">
        <span class="notification-title" dir="auto">
          {props.item.title}
        </span>
        <time class="muted" datetime={props.item.timestamp}>
          {shortTime(props.item.timestamp)}
        </time>
      </div>
      <p class="notification-message" dir="auto">
        {props.item.message}
      </p>
      <div class="notification-meta muted" dir="auto">
        {tags(props.item)}
      </div>
      <ActionLine item={props.item} />
      <Show when={!props.item.read}>
        <button
          type="button"
          class="link"
          aria-label={`Mark read: ${props.item.title}`}
          aria-disabled={props.marking ? "true" : undefined}
          onClick={() => props.onMarkRead(props.item.id)}
        >
          {props.marking ? "Marking…" : "Mark read"}
        </button>
      </Show>
    </li>
  );
}

export function NotificationsScreen(): JSX.Element {
  const app = useApp();
  const client = useQueryClient();
  const list = createPagedList(() => ({
    key: keys.notificationPage,
    fetch: (limit: number, offset: number) => commands.listNotifications(limit, offset),
    pageSize: PAGES.notifications,
    keyOf: (row) => row.id,
  }));
  /** What is being marked read: notification ids, or "all". */
  const [marking, setMarking] = createSignal<ReadonlySet<string>>(new Set());
  const isMarking = (id: string) => marking().has(id);

  let listElement: HTMLOListElement | undefined;
  let heading: HTMLHeadingElement | undefined;
  /** A "Mark read" button had the focus and goes away once the list shows it read. */
  const [refocus, setRefocus] = createSignal<string | null>(null);
  createEffect(() => {
    const what = refocus();
    if (!what) return;
    const rows = list.rows();
    const done = what === "all" ? rows.every((n) => n.read) : (rows.find((n) => n.id === what)?.read ?? true);
    if (!done) return;
    setRefocus(null);
    // The next one to mark, else the section's heading: never lost to the page's body.
    (listElement?.querySelector<HTMLElement>("li.unread button.link") ?? heading)?.focus();
  });

  function hasFocus(what: string): boolean {
    const focused = document.activeElement;
    if (!focused || focused === document.body) return false;
    if (what === "all") return focused.closest(".notifications-header") !== null;
    return focused.closest("[data-notification-id]")?.getAttribute("data-notification-id") === what;
  }

  async function mark(what: string, send: () => Promise<unknown>): Promise<void> {
    if (isMarking(what)) return;
    setMarking((now) => new Set(now).add(what));
    try {
      await send();
      if (hasFocus(what)) setRefocus(what);
      await client.invalidateQueries({ queryKey: keys.notifications() });
    } catch (error) {
      setRefocus(null);
      app.showProblem(toCommandError(error).message);
    } finally {
      setMarking((now) => {
        const next = new Set(now);
        next.delete(what);
        return next;
      });
    }
  }

  // Unread ones come first: none among the loaded means none at all.
  const unread = () => list.rows().filter((n) => !n.read).length;

  return (
    <section class="orders-pane notifications-pane">
      <div class="notifications-header">
        <h2 tabindex="-1" ref={heading}>
          Notifications
        </h2>
        <button
          type="button"
          class="ghost"
          disabled={unread() === 0}
          aria-disabled={isMarking("all") ? "true" : undefined}
          onClick={() => void mark("all", () => commands.markAllNotificationsRead())}
        >
          {isMarking("all") ? "Marking…" : "Mark all read"}
        </button>
      </div>
      <PagedContent list={list} loading="Loading notifications…" empty={<p class="empty">No notifications</p>}>
          <ol class="notifications" aria-label="Notifications" ref={listElement}>
            <For each={list.rows()}>
              {(item) => (
                <NotificationItem
                  item={item}
                  marking={isMarking(item.id)}
                  onMarkRead={(id) => void mark(id, () => commands.markNotificationRead(id))}
                />
              )}
            </For>
          </ol>
      </PagedContent>
      <ShowMore list={list} label="Show more notifications" />
    </section>
  );
}
