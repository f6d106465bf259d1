// App-level state, held once: the phase (what AppInfo says), the connection, the route (which
// section, conversation and order are on screen, and the search), and the counters and the
// problem the status bar shows. Screens read it through `useApp()`; they own their other state.

import { batch, createSignal } from "solid-js";
import { createStore, produce, unwrap } from "solid-js/store";
import type { AppInfo } from "../bindings/AppInfo";
import type { ConnectionState } from "../bindings/ConnectionState";
import type { Target } from "../bindings/Target";
import type { UiEvent } from "../bindings/UiEvent";

export const SECTIONS = ["inbox", "orders", "listings", "notifications", "settings"] as const;
export type Section = (typeof SECTIONS)[number];

export type Route = {
  section: Section;
  /** The open conversation (kept while other sections are shown). */
  conversationId: string | null;
  /** A message opened from search, marked for a moment. */
  foundMessageId: string | null;
  /** The order whose detail is open beside the list. */
  orderId: string | null;
  /** The search box's text; results replace the section while it is not blank. */
  search: string;
};

/** How long "typing…" stays up after the last typing event (a "stopped" event may never come). */
export const TYPING_SHOWN_MS = 6_000;
/** How long a problem stays in the status bar. */
export const PROBLEM_MS = 10_000;

export type AppStateData = {
  info: AppInfo | null;
  connection: ConnectionState | null;
  /** When `connection` last changed (ms), for the reconnect countdown. */
  connectionAt: number;
  pending: number;
  /** Round trip of the last health check (ms); null: unknown. */
  latencyMs: number | null;
  unreadConversations: number;
  unreadNotifications: number;
  /** The server rejected the token: the sign-in form is shown over the (kept) cache. */
  reauth: boolean;
  /** Conversations where the buyer is typing, until when (ms). */
  typing: Record<string, number>;
  problem: { text: string; until: number } | null;
  route: Route;
};

export type Phase = "starting" | "signedOut" | "live" | "demo";

function initial(): AppStateData {
  return {
    info: null,
    connection: null,
    connectionAt: 0,
    pending: 0,
    latencyMs: null,
    unreadConversations: 0,
    unreadNotifications: 0,
    reauth: false,
    typing: {},
    problem: null,
    route: { section: "inbox", conversationId: null, foundMessageId: null, orderId: null, search: "" },
  };
}

export function createAppState(now: () => number = () => Date.now()) {
  const [state, setState] = createStore<AppStateData>(initial());
  /** Ticks once a second while something on screen moves with time (countdowns, expiries). */
  const [clock, setClock] = createSignal(now());

  const phase = (): Phase => {
    const info = state.info;
    if (!info) return "starting";
    if (info.mode === "demo") return info.signedIn ? "demo" : "signedOut";
    return info.signedIn && !state.reauth ? "live" : "signedOut";
  };

  const selfId = () => state.info?.userId ?? null;

  // Objects are replaced, never merged into the last one (a store merges a plain object into
  // the previous), and copied: the store must not write into what the caller holds.
  function setInfo(info: AppInfo): void {
    batch(() => {
      const copy = structuredClone(unwrap(info));
      setState({ info: copy, connection: copy.connection });
      setState("connectionAt", now());
      setState("pending", copy.pendingOutbox);
      setState("latencyMs", copy.latencyMs);
    });
  }

  function showProblem(text: string): void {
    setState({ problem: { text, until: now() + PROBLEM_MS } });
  }

  /** What a batch says beyond which queries are stale: connection, counters, typing, problems. */
  function applyEvent(event: UiEvent, showTyping: boolean): void {
    batch(() => {
      if (event.state) {
        setState({ connection: structuredClone(unwrap(event.state)) });
        setState("connectionAt", now());
      }
      if (event.outboxPending !== null) setState("pending", event.outboxPending);
      if (event.state || event.latencyMs !== null) setState("latencyMs", event.latencyMs);
      if (event.unreadConversations !== null) setState("unreadConversations", Number(event.unreadConversations));
      if (event.unreadNotifications !== null) setState("unreadNotifications", Number(event.unreadNotifications));
      if (event.typing.length > 0 && showTyping) {
        const at = now();
        setState(
          "typing",
          produce((typing) => {
            for (const t of event.typing) {
              // Only the buyer's typing is shown; the seller's own (another device) is not.
              if (t.userId === selfId()) continue;
              if (t.isTyping) typing[t.conversationId] = at + TYPING_SHOWN_MS;
              else delete typing[t.conversationId];
            }
          }),
        );
      }
    });
  }

  /** Drops typing indicators and the problem once they ran out. */
  function tick(): void {
    const at = now();
    batch(() => {
      setClock(at);
      if (state.problem && state.problem.until <= at) setState("problem", null);
      const expired = Object.entries(state.typing).filter(([, until]) => until <= at);
      if (expired.length > 0)
        setState(
          "typing",
          produce((typing) => {
            for (const [id] of expired) delete typing[id];
          }),
        );
    });
  }

  function clearTyping(): void {
    setState("typing", {});
  }

  function showSection(section: Section): void {
    // A message found by search is marked once, when it is opened; not when the seller comes back.
    setState("route", { section, search: "", foundMessageId: null });
  }

  function openConversation(id: string, messageId: string | null = null): void {
    batch(() => {
      setState("route", { section: "inbox", conversationId: id, foundMessageId: messageId, search: "" });
    });
  }

  /** The mark on a message found by search has been shown. */
  function clearFound(messageId: string): void {
    if (state.route.foundMessageId === messageId) setState("route", "foundMessageId", null);
  }

  function openOrder(id: string | null): void {
    setState("route", { section: "orders", orderId: id, search: "" });
  }

  function setSearch(text: string): void {
    setState("route", "search", text);
  }

  function navigate(target: Target): void {
    switch (target.view) {
      case "conversation":
        openConversation(target.id);
        break;
      case "order":
        openOrder(target.id);
        break;
      case "orders":
        showSection("orders");
        break;
      case "notifications":
        showSection("notifications");
        break;
      default:
        showSection("inbox");
    }
  }

  function setReauth(reauth: boolean): void {
    setState("reauth", reauth);
  }

  const resetListeners = new Set<() => void>();
  /** `listener` runs whenever a session ends (the shell clears cached queries and previews). */
  function onSessionReset(listener: () => void): () => void {
    resetListeners.add(listener);
    return () => resetListeners.delete(listener);
  }

  /** Forgets everything shown of the last session (sign-out, demo in or out), keeping `info`. */
  function resetSession(): void {
    const info = state.info;
    setState(initial());
    if (info) setInfo(info);
    for (const listener of resetListeners) listener();
  }

  return {
    state,
    clock,
    phase,
    selfId,
    setInfo,
    showProblem,
    applyEvent,
    tick,
    clearTyping,
    showSection,
    openConversation,
    clearFound,
    openOrder,
    setSearch,
    navigate,
    setReauth,
    resetSession,
    onSessionReset,
  };
}

export type AppState = ReturnType<typeof createAppState>;
