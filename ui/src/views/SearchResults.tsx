// Search results: they replace the section while the search box (route.search) has text. The
// cache is asked once typing pauses; each query has its own key, so a late answer to an older
// query never replaces a newer one, and earlier results stay up while the next ones load.
// Snippets arrive as plain-text segments; matches become <mark> elements holding text.

import { useQueryClient } from "@tanstack/solid-query";
import { For, type JSX, Match, Show, Switch, createEffect, createMemo, createSignal, on, onCleanup, untrack } from "solid-js";
import { useApp } from "../app/context";
import { commands } from "../bindings/commands";
import { PAGES } from "../bindings/pages";
import type { SearchResult } from "../bindings/SearchResult";
import type { SnippetSegment } from "../bindings/SnippetSegment";
import { counted, shortTime } from "../format";
import { keys } from "../queries/keys";
import { type PagedList, createPagedList } from "../queries/paged";
import { ShowMore } from "./ShowMore";

/** Typing pauses this long before the cache is asked. */
export const SEARCH_DEBOUNCE_MS = 150;

export const NOTHING_FOUND = "Nothing found. Try fewer words, or buyer:, order: or in: filters.";

export function snippetNodes(segments: SnippetSegment[]): JSX.Element {
  return segments.map((s) => (s.hit ? <mark>{s.text}</mark> : s.text));
}

/** What the result is, in a few words. */
export function resultTitle(result: SearchResult): string {
  switch (result.kind) {
    case "message":
      return result.senderName ? `Message from ${result.senderName}` : "Message";
    case "order":
      return `Order ${result.orderId ?? ""}`.trim();
    case "listing":
      return `Listing ${result.listingId ?? ""}`.trim();
    default:
      return "Result";
  }
}

/** Whether clicking the result has somewhere to go (listings have no screen yet). */
export function canOpen(result: SearchResult): boolean {
  return (result.kind === "message" && result.conversationId !== null) || (result.kind === "order" && result.orderId !== null);
}

/** What is on screen: the answer to one query (the newest answered one). */
type Answer = { query: string; list: PagedList<SearchResult>; results: SearchResult[]; failure: string | null };

function ResultBody(props: { result: SearchResult }): JSX.Element {
  return (
    <>
      <span class="result-top">
        <span class={`result-kind kind-${props.result.kind}`} dir="auto">
          {resultTitle(props.result)}
        </span>
        <time class="muted" datetime={props.result.timestamp}>
          {shortTime(props.result.timestamp)}
        </time>
      </span>
      <span class="result-snippet" dir="auto">
        {snippetNodes(props.result.snippet)}
      </span>
    </>
  );
}

function ResultItem(props: { result: SearchResult; onOpen: (result: SearchResult) => void }): JSX.Element {
  return (
    <li>
      <Show
        when={canOpen(props.result)}
        fallback={
          <div class="search-result">
            <ResultBody result={props.result} />
          </div>
        }
      >
        <button
          type="button"
          class="search-result"
          data-kind={props.result.kind}
          data-conversation-id={props.result.conversationId ?? undefined}
          data-message-id={props.result.messageId ?? undefined}
          data-order-id={props.result.orderId ?? undefined}
          onClick={() => props.onOpen(props.result)}
        >
          <ResultBody result={props.result} />
        </button>
      </Show>
    </li>
  );
}

export function SearchResults(): JSX.Element {
  const app = useApp();
  const client = useQueryClient();

  /** The text the cache is asked for: the search box's, once typing paused. */
  const [query, setQuery] = createSignal("");
  let timer: ReturnType<typeof setTimeout> | undefined;
  createEffect(
    on(
      () => app.state.route.search,
      (text) => {
        clearTimeout(timer);
        if (text.trim() === "") return;
        timer = setTimeout(() => setQuery(text), SEARCH_DEBOUNCE_MS);
      },
    ),
  );
  onCleanup(() => {
    clearTimeout(timer);
    // Results are not refreshed by the backend's events: the next search asks again.
    client.removeQueries({ queryKey: keys.searches() });
  });

  // A list of its own per query: it starts from one page, and its rows are that query's.
  const list = createMemo(() => {
    const text = query();
    if (text === "") return null;
    // Untracked: only another query makes another list (not its own pages loading).
    return untrack(() =>
      createPagedList<SearchResult>(() => ({
        key: (page: number) => [...keys.search(text), page],
        fetch: (limit: number, offset: number) => commands.search(text, limit, offset),
        pageSize: PAGES.search,
      })),
    );
  });

  const answer = createMemo<Answer | null>((earlier) => {
    const current = list();
    if (!current) return earlier;
    const failure = current.error();
    if (failure) return { query: query(), list: current, results: [], failure: failure.message };
    const results = current.rows();
    // Still loading the first page: the earlier answer stays up (no flicker while typing).
    if (results.length === 0 && current.loading()) return earlier;
    return { query: query(), list: current, results, failure: null };
  }, null);

  /** The answer on screen is not the newest query's yet. */
  const busy = () => {
    const shown = answer();
    return shown === null || shown.query !== query();
  };

  const status = () => {
    const shown = answer();
    if (!shown) return "Searching…";
    if (shown.failure !== null) return "";
    if (shown.results.length === 0) return NOTHING_FOUND;
    const more = shown.list.hasMore() ? ", more below" : "";
    return `${counted(shown.results.length, "result", "results")} for “${shown.query}”${more}`;
  };

  function open(result: SearchResult): void {
    if (result.kind === "order" && result.orderId) app.openOrder(result.orderId);
    else if (result.conversationId) app.openConversation(result.conversationId, result.messageId);
  }

  return (
    <section class="search-pane" aria-busy={busy() ? "true" : "false"}>
      <h2 class="search-heading">
        Results for <q dir="auto">{answer()?.query ?? app.state.route.search}</q>
      </h2>
      {/* One polite live region: the count is read out when an answer arrives, without interrupting. */}
      <p class={answer()?.results.length ? "search-count muted" : "empty"} role="status" aria-live="polite" dir="auto">
        {status()}
      </p>
      <Show when={answer()}>
        {(shown) => (
          <Switch>
            <Match when={shown().failure}>
              {(failure) => (
                <p class="empty failure" role="alert" dir="auto">
                  {failure()}
                </p>
              )}
            </Match>
            <Match when={shown().results.length > 0}>
              <ol class="search-results" aria-label="Search results">
                <For each={shown().results}>{(result) => <ResultItem result={result} onOpen={open} />}</For>
              </ol>
              <Show when={!busy()}>
                <ShowMore list={shown().list} label="Show more results" />
              </Show>
            </Match>
          </Switch>
        )}
      </Show>
    </section>
  );
}
