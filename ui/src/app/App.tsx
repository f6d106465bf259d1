// The shell: the top bar (sections, search, what the session is), the screen of the route, and
// the status bar. It subscribes to the backend's events once and turns each batch into
// invalidated queries (by the ids it names) and app state.

import { QueryClientProvider, type QueryClient, createQuery, useQueryClient } from "@tanstack/solid-query";
import { type JSX, Match, Show, Switch, createEffect, on, onCleanup, onMount } from "solid-js";
import type { DesktopPreferences } from "../bindings/DesktopPreferences";
import { commands } from "../bindings/commands";
import { tokenNotice } from "../format";
import { toCommandError } from "../ipc";
import { dismissConfirmDialog } from "../components/ConfirmDialog";
import { forgetListPositions } from "../components/List";
import { Drafts } from "../keys";
import { clearPreviewCache } from "../views/messages/previews";
import { keys } from "../queries/keys";
import { serialWrite } from "../queries/writes";
import { InboxScreen } from "../views/inbox/InboxScreen";
import { ListingsScreen } from "../views/ListingsScreen";
import { NotificationsScreen } from "../views/NotificationsScreen";
import { OrdersScreen } from "../views/orders/OrdersScreen";
import { SearchResults } from "../views/SearchResults";
import { SettingsScreen } from "../views/settings/SettingsScreen";
import { SignInScreen } from "../views/SignInScreen";
import { StatusBar } from "../views/StatusBar";
import { AppProvider, useApp } from "./context";
import { subscribeToBackend } from "./events";
import { type Section, type AppState } from "./state";
import { shortcutFor } from "../keys";
import { appliedZoom, applyZoom, zoomFor } from "./zoom";

const TABS: { section: Exclude<Section, "settings">; label: string; key: string }[] = [
  { section: "inbox", label: "Inbox", key: "1" },
  { section: "orders", label: "Orders", key: "2" },
  { section: "listings", label: "Listings", key: "3" },
  { section: "notifications", label: "Notifications", key: "4" },
];

/** The top bar's sections, each with its badge. */
function Sections(): JSX.Element {
  const app = useApp();
  const badge = (section: Section) =>
    section === "inbox" ? app.state.unreadConversations : section === "notifications" ? app.state.unreadNotifications : 0;
  return (
    <nav class="tabs" aria-label="Sections">
      {TABS.map((tab) => (
        <button
          type="button"
          class="tab"
          data-tab={tab.section}
          aria-current={app.state.route.section === tab.section && app.state.route.search.trim() === "" ? "page" : undefined}
          aria-keyshortcuts={`Alt+${tab.key}`}
          title={`${tab.label} (Alt+${tab.key}${tab.section === "inbox" ? "; Alt+↓: next unread" : ""})`}
          onClick={() => app.showSection(tab.section)}
        >
          {tab.label}
          <Show when={badge(tab.section) > 0}>
            <span
              class="tab-badge"
              title={
                tab.section === "inbox"
                  ? `${badge(tab.section)} conversation${badge(tab.section) > 1 ? "s" : ""} with unread messages`
                  : `${badge(tab.section)} unread`
              }
            >
              {badge(tab.section)}
            </span>
          </Show>
        </button>
      ))}
    </nav>
  );
}

function SearchBox(props: { ref: (input: HTMLInputElement) => void }): JSX.Element {
  const app = useApp();
  return (
    <div class="search-box" role="search">
      <input
        ref={props.ref}
        type="search"
        class="search-input"
        placeholder="Search (Ctrl+K)"
        aria-label="Search messages, buyers, orders and listings"
        autocomplete="off"
        spellcheck={false}
        aria-keyshortcuts="Control+K"
        value={app.state.route.search}
        onInput={(event) => app.setSearch(event.currentTarget.value)}
        onKeyDown={(event) => {
          if (event.key === "Escape") {
            app.setSearch("");
            event.currentTarget.blur();
          }
        }}
      />
    </div>
  );
}

function SessionItems(): JSX.Element {
  const app = useApp();
  const info = () => app.state.info;
  const notice = () => {
    const i = info();
    return i?.mode === "live" && i.signedIn ? tokenNotice(i.tokenExpiresAt, app.clock()) : null;
  };
  return (
    <div class="topbar-right">
      <Show when={info()?.mode === "demo"}>
        <span class="demo-badge" title="A simulated marketplace; nothing is real">
          Demo
        </span>
      </Show>
      <Show when={info()?.mode === "live" && info()?.server}>
        {(server) => (
          <span class="server muted" title={server()}>
            {server()}
          </span>
        )}
      </Show>
      <Show when={notice()}>
        {(n) => (
          <span class={`token-notice ${n().level}`} role="status" title={n().text}>
            {n().text}
          </span>
        )}
      </Show>
      <Show when={info()?.signedIn}>
        <button
          type="button"
          class="ghost"
          data-tab="settings"
          aria-pressed={app.state.route.section === "settings" ? "true" : "false"}
          onClick={() => app.showSection("settings")}
        >
          Settings
        </button>
      </Show>
    </div>
  );
}

/** The screen of the route; focus moves to it when the section changes. */
function Screen(props: { drafts: Drafts }): JSX.Element {
  const app = useApp();
  const route = () => app.state.route;
  let main!: HTMLElement;
  const view = () => {
    const phase = app.phase();
    if (phase === "starting") return "starting";
    if (phase === "signedOut") return "signin";
    if (route().search.trim() !== "") return "search";
    return route().section;
  };
  createEffect(() => {
    const root = document.getElementById("app");
    if (root) root.dataset.view = view();
  });
  // A new section takes the focus to its heading (or the screen) so keyboard and screen-reader
  // users land in it; opening a conversation focuses the composer instead (InboxScreen).
  createEffect(
    on(
      () => route().section,
      () => {
        queueMicrotask(() => {
          if (main.contains(document.activeElement)) return;
          const target = main.querySelector<HTMLElement>("h2, [data-focus-first]") ?? main;
          if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
          target.focus({ preventScroll: true });
        });
      },
      { defer: true },
    ),
  );
  return (
    <main class="main" ref={main} tabindex={-1}>
      <Switch>
        <Match when={view() === "starting"}>
          <p class="empty">Starting…</p>
        </Match>
        <Match when={view() === "signin"}>
          <SignInScreen />
        </Match>
        <Match when={view() === "search"}>
          <SearchResults />
        </Match>
        <Match when={view() === "settings"}>
          <SettingsScreen />
        </Match>
        <Match when={view() === "listings"}>
          <ListingsScreen />
        </Match>
        <Match when={view() === "notifications"}>
          <NotificationsScreen />
        </Match>
        <Match when={view() === "orders"}>
          <OrdersScreen />
        </Match>
        <Match when={view() === "inbox"}>
          <InboxScreen drafts={props.drafts} />
        </Match>
      </Switch>
    </main>
  );
}

function Shell(): JSX.Element {
  const app = useApp();
  const client = useQueryClient();
  const drafts = new Drafts();
  let search: HTMLInputElement | undefined;
  const signedIn = () => app.phase() === "live" || app.phase() === "demo";

  const preferences = createQuery(() => ({
    queryKey: keys.desktopPreferences(),
    queryFn: () => commands.desktopPreferences(),
    // Signed out too: the sign-in screen is shown at the remembered text size.
    enabled: app.phase() !== "starting",
  }));
  /** A zoom shown and not saved yet. */
  let pendingZoom: number | null = null;
  // The saved size (kept as it is while the preferences reload, e.g. after a sign-out).
  createEffect(() => {
    const saved = preferences.data?.textZoom;
    if (saved !== undefined && pendingZoom === null) applyZoom(saved);
  });

  onMount(() => {
    const stop = subscribeToBackend(app, client, () => preferences.data?.showTyping !== false);
    onCleanup(stop);
    commands
      .appInfo()
      .then((info) => app.setInfo(info))
      .catch((error) => app.showProblem(toCommandError(error).message));
    const timer = window.setInterval(() => app.tick(), 1000);
    onCleanup(() => window.clearInterval(timer));
  });

  // A session ended: nothing of it stays in memory or on screen.
  onCleanup(
    app.onSessionReset(() => {
      dismissConfirmDialog();
      drafts.clear();
      // Nothing of the last session stays cached. Screens on show keep their queries (a cleared
      // client would leave them observing queries it no longer has): those start again empty.
      client.removeQueries({ type: "inactive" });
      void client.resetQueries();
      clearPreviewCache();
      forgetListPositions();
    }),
  );

  // The backend is told which conversation is on screen (its messages do not notify then, and
  // new ones are read as they come).
  createEffect(
    on(
      () => (signedIn() && app.state.route.section === "inbox" && app.state.route.search.trim() === "" ? app.state.route.conversationId : null),
      (id) => void commands.setOpenConversation(id).catch(() => {}),
    ),
  );

  // A zoom shows at once and is saved in the queue of the preferences' writes; until then the
  // next press steps from it.
  function zoom(next: number): void {
    const current = pendingZoom ?? client.getQueryData<DesktopPreferences>(keys.desktopPreferences())?.textZoom;
    if (current === undefined || current === next) return;
    pendingZoom = next;
    applyZoom(next);
    void serialWrite(keys.desktopPreferences(), async () => {
      const saved = client.getQueryData<DesktopPreferences>(keys.desktopPreferences());
      if (!saved) return;
      const updated = { ...saved, textZoom: next };
      try {
        await commands.setDesktopPreferences(updated);
        client.setQueryData(keys.desktopPreferences(), updated);
      } catch (error) {
        applyZoom(saved.textZoom);
        app.showProblem(toCommandError(error).message);
      } finally {
        if (pendingZoom === next) pendingZoom = null;
      }
    });
  }

  const onKey = (event: KeyboardEvent) => {
    const current = pendingZoom ?? client.getQueryData<DesktopPreferences>(keys.desktopPreferences())?.textZoom ?? appliedZoom();
    const zoomed = zoomFor(event, current);
    if (zoomed !== null) {
      event.preventDefault();
      zoom(zoomed);
      return;
    }
    const shortcut = shortcutFor(event);
    if (!shortcut || !signedIn()) return;
    if (shortcut.kind === "search") {
      event.preventDefault();
      search?.focus();
      search?.select();
    } else if (shortcut.kind === "section") {
      event.preventDefault();
      app.showSection(shortcut.section);
    }
  };
  document.addEventListener("keydown", onKey);
  onCleanup(() => document.removeEventListener("keydown", onKey));

  return (
    <>
      <header class="topbar">
        <span class="brand">
          <span class="brand-mark" aria-hidden="true">
            SD
          </span>
          Seller Desk
        </span>
        <Show when={signedIn()}>
          <Sections />
          <SearchBox ref={(input) => (search = input)} />
        </Show>
        <SessionItems />
      </header>
      <Screen drafts={drafts} />
      <StatusBar />
    </>
  );
}

export function App(props: { state: AppState; client: QueryClient }): JSX.Element {
  // Read once: one client and one state for the app's life (a prop written as an expression
  // would otherwise be evaluated again on every read).
  const { state, client } = props;
  return (
    <QueryClientProvider client={client}>
      <AppProvider state={state}>
        <Shell />
      </AppProvider>
    </QueryClientProvider>
  );
}
