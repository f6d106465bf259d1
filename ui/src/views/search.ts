// Search: the box in the top bar and the results that replace the main view while it has a query.
// Snippets arrive as plain-text segments; matches become <mark> elements holding text nodes.

import type { SearchResult } from "../bindings/SearchResult";
import type { SnippetSegment } from "../bindings/SnippetSegment";
import { type Child, h, replaceChildren } from "../dom";
import { shortTime } from "../format";

/** Typing pauses this long before the cache is asked. */
export const SEARCH_DEBOUNCE_MS = 150;

export function snippetNodes(segments: SnippetSegment[]): Child[] {
  return segments.map((s) => (s.hit ? h("mark", {}, s.text) : s.text));
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

export type SearchState =
  | { phase: "searching"; query: string }
  | { phase: "done"; query: string; results: SearchResult[] }
  | { phase: "failed"; query: string; message: string };

export function renderSearchResults(
  container: HTMLElement,
  state: SearchState,
  onOpen: (result: SearchResult) => void,
): void {
  const heading = h("h2", { class: "search-heading" }, "Results for ", h("q", {}, state.query));
  if (state.phase === "searching") {
    replaceChildren(container, heading, h("p", { class: "empty", role: "status" }, "Searching…"));
    return;
  }
  if (state.phase === "failed") {
    replaceChildren(container, heading, h("p", { class: "empty failure", role: "alert" }, state.message));
    return;
  }
  if (state.results.length === 0) {
    replaceChildren(
      container,
      heading,
      h("p", { class: "empty", role: "status" }, "Nothing found. Try fewer words, or buyer:, order: or in: filters."),
    );
    return;
  }
  const items = state.results.map((result) => {
    const body = [
      h(
        "span",
        { class: "result-top" },
        h("span", { class: `result-kind kind-${result.kind}` }, resultTitle(result)),
        h("time", { class: "muted", datetime: result.timestamp }, shortTime(result.timestamp)),
      ),
      h("span", { class: "result-snippet" }, ...snippetNodes(result.snippet)),
    ];
    if (!canOpen(result)) return h("li", {}, h("div", { class: "search-result" }, ...body));
    const button = h(
      "button",
      {
        type: "button",
        class: "search-result",
        "data-kind": result.kind,
        "data-conversation-id": result.conversationId ?? undefined,
        "data-message-id": result.messageId ?? undefined,
        "data-order-id": result.orderId ?? undefined,
      },
      ...body,
    );
    button.addEventListener("click", () => onOpen(result));
    return h("li", {}, button);
  });
  replaceChildren(
    container,
    heading,
    h("ol", { class: "search-results", "aria-label": "Search results" }, ...items),
  );
}
