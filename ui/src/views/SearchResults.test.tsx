import { cleanup, fireEvent, render, screen } from "@solidjs/testing-library";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createAppState } from "../app/state";
import { PAGES } from "../bindings/pages";
import type { SearchResult } from "../bindings/SearchResult";
import { keys } from "../queries/keys";
import { mockCommands, renderWithApp } from "../test-utils";
import { NOTHING_FOUND, SEARCH_DEBOUNCE_MS, SearchResults, canOpen, resultTitle, snippetNodes } from "./SearchResults";
import { seriousViolations } from "./axe.test-util";

const hostile = "<img src=x onerror=alert(1)>";

function result(overrides: Partial<SearchResult> = {}): SearchResult {
  return {
    kind: "message",
    conversationId: "conv-1",
    messageId: "m1",
    orderId: null,
    listingId: null,
    senderName: "Zoë",
    snippet: [
      { text: "The ", hit: false },
      { text: hostile, hit: true },
      { text: " arrived", hit: false },
    ],
    timestamp: "2026-11-26T06:49:09.823Z",
    ...overrides,
  };
}

const ORDER = result({ kind: "order", conversationId: null, messageId: null, orderId: "ord-1", senderName: null, snippet: [{ text: "ord-1", hit: true }] });
const LISTING = result({ kind: "listing", conversationId: null, messageId: null, listingId: "lst-1", senderName: null, snippet: [{ text: "lst-1", hit: true }] });

/** A result per query, told apart by its message id. */
function resultFor(query: string, index = 0): SearchResult {
  return result({ messageId: `${query}-${index}`, snippet: [{ text: query, hit: true }] });
}

/** Lets answers of the mocked commands and the query client's notifications through. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await vi.advanceTimersByTimeAsync(0);
}

function shownIds(container: HTMLElement): string[] {
  return Array.from(container.querySelectorAll<HTMLElement>(".search-result")).map((r) => r.dataset.messageId ?? r.dataset.orderId ?? "");
}

function statusText(): string {
  return screen.getByRole("status").textContent ?? "";
}

/** The results for `text`, typed into the box. */
function renderSearch(text: string) {
  const app = createAppState();
  app.setSearch(text);
  return renderWithApp(() => <SearchResults />, { app });
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe("search result parts", () => {
  it("marks hits as text, never markup", () => {
    const { container } = render(() => <p>{snippetNodes(result().snippet)}</p>);
    const p = container.querySelector("p");
    expect(p?.textContent).toBe(`The ${hostile} arrived`);
    expect(p?.querySelector("img")).toBeNull();
    expect(p?.querySelectorAll("mark")).toHaveLength(1);
    expect(p?.querySelector("mark")?.textContent).toBe(hostile);
  });

  it("says what each result is and which can be opened", () => {
    expect(resultTitle(result())).toBe("Message from Zoë");
    expect(resultTitle(result({ senderName: null }))).toBe("Message");
    expect(resultTitle(ORDER)).toBe("Order ord-1");
    expect(resultTitle(LISTING)).toBe("Listing lst-1");
    expect(canOpen(result())).toBe(true);
    expect(canOpen(result({ conversationId: null }))).toBe(false);
    expect(canOpen(ORDER)).toBe(true);
    expect(canOpen({ ...ORDER, orderId: null })).toBe(false);
    expect(canOpen(LISTING)).toBe(false);
  });
});

describe("search results", () => {
  it("asks the cache once typing pauses, and announces the count", async () => {
    const calls = mockCommands({ search: (args) => [resultFor(args.query as string, 0), resultFor(args.query as string, 1)] });
    const { container, app } = renderSearch("z");
    expect(statusText()).toBe("Searching…");
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS - 50);
    app.setSearch("zo");
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS - 1);
    expect(calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toEqual([{ command: "search", args: { query: "zo", limit: PAGES.search, offset: 0 } }]);
    await settle();
    expect(shownIds(container)).toEqual(["zo-0", "zo-1"]);
    expect(screen.getByRole("status")).toHaveAttribute("aria-live", "polite");
    expect(statusText()).toBe("2 results for “zo”");
    expect(container.querySelector(".search-heading q")?.textContent).toBe("zo");
    expect(container.querySelector(".search-pane")).toHaveAttribute("aria-busy", "false");
    expect(container.querySelector(".load-more")).toBeNull();
  });

  it("asks nothing for a blank box", async () => {
    const calls = mockCommands({});
    renderSearch("   ");
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS * 2);
    expect(calls).toEqual([]);
  });

  it("keeps earlier results up while the next load, and a late answer never replaces a newer one", async () => {
    const answers = new Map<string, (results: SearchResult[]) => void>();
    mockCommands({ search: (args) => new Promise((resolve) => answers.set(args.query as string, resolve)) });
    const { container, app } = renderSearch("ab");
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS);
    answers.get("ab")?.([resultFor("ab")]);
    await settle();
    expect(shownIds(container)).toEqual(["ab-0"]);

    app.setSearch("abc");
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS);
    await settle();
    expect(answers.has("abc")).toBe(true);
    // "abc" is loading: "ab"'s results stay, marked busy, its heading with them.
    expect(shownIds(container)).toEqual(["ab-0"]);
    expect(container.querySelector(".search-pane")).toHaveAttribute("aria-busy", "true");
    expect(container.querySelector(".search-heading q")?.textContent).toBe("ab");

    app.setSearch("abcd");
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS);
    answers.get("abcd")?.([resultFor("abcd")]);
    await settle();
    expect(shownIds(container)).toEqual(["abcd-0"]);
    // The older query answers last: it is not shown.
    answers.get("abc")?.([resultFor("abc")]);
    await settle();
    expect(shownIds(container)).toEqual(["abcd-0"]);
    expect(statusText()).toBe("1 result for “abcd”");
    expect(container.querySelector(".search-pane")).toHaveAttribute("aria-busy", "false");
  });

  it("opens a message at the message and an order in Orders; a listing is shown but not a button", async () => {
    mockCommands({ search: () => [result(), ORDER, LISTING] });
    const { container, app } = renderSearch("arrived");
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS);
    await settle();
    const buttons = container.querySelectorAll<HTMLButtonElement>("button.search-result");
    expect(buttons).toHaveLength(2);
    expect(buttons[0]).toHaveAttribute("data-kind", "message");
    expect(buttons[0]).toHaveAttribute("data-conversation-id", "conv-1");
    expect(buttons[1]).toHaveAttribute("data-order-id", "ord-1");
    expect(container.querySelectorAll(".search-result")).toHaveLength(3);
    expect(container.textContent).toContain("Listing lst-1");
    vi.useRealTimers();
    expect(await seriousViolations(container)).toEqual([]);

    fireEvent.click(buttons[0] as HTMLButtonElement);
    expect(app.state.route).toMatchObject({ section: "inbox", conversationId: "conv-1", foundMessageId: "m1", search: "" });
    app.setSearch("arrived");
    fireEvent.click(buttons[1] as HTMLButtonElement);
    expect(app.state.route).toMatchObject({ section: "orders", orderId: "ord-1", search: "" });
  });

  it("says when nothing was found, or why the search failed", async () => {
    mockCommands({
      search: (args) => {
        if (args.query === "zzz") return [];
        throw { code: "SEARCH_SYNTAX", message: `bad query ${hostile}` };
      },
    });
    const { container, app } = renderSearch("zzz");
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS);
    await settle();
    expect(statusText()).toBe(NOTHING_FOUND);
    expect(container.querySelector(".search-result")).toBeNull();
    app.setSearch("in:");
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS);
    await settle();
    expect(screen.getByRole("alert").textContent).toBe(`bad query ${hostile}`);
    expect(container.querySelector("img")).toBeNull();
  });

  it("shows more results a page at a time", async () => {
    const calls = mockCommands({
      search: (args) => {
        const offset = args.offset as number;
        const count = offset === 0 ? PAGES.search : 1;
        return Array.from({ length: count }, (_, i) => resultFor("late", offset + i));
      },
    });
    const { container } = renderSearch("late");
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS);
    await settle();
    expect(shownIds(container)).toHaveLength(PAGES.search);
    expect(statusText()).toBe(`${PAGES.search} results for “late”, more below`);
    fireEvent.click(container.querySelector("button.load-more") as HTMLButtonElement);
    await settle();
    expect(shownIds(container)).toHaveLength(PAGES.search + 1);
    expect(shownIds(container).at(-1)).toBe(`late-${PAGES.search}`);
    expect(calls.map((c) => c.args)).toEqual([
      { query: "late", limit: PAGES.search, offset: 0 },
      { query: "late", limit: PAGES.search, offset: PAGES.search },
    ]);
    expect(statusText()).toBe(`${PAGES.search + 1} results for “late”`);
    expect(container.querySelector(".load-more")).toBeNull();
  });

  it("gives the buyer's and the seller's text its own direction", async () => {
    mockCommands({ search: () => [result({ senderName: "سارة", snippet: [{ text: "שלום", hit: true }] })] });
    const { container } = renderSearch("שלום");
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS);
    await settle();
    for (const selector of [".search-heading q", ".result-kind", ".result-snippet"]) expect(container.querySelector(selector), selector).toHaveAttribute("dir", "auto");
    expect(container.querySelector(".result-kind")?.textContent).toBe("Message from سارة");
  });

  it("stops waiting when closed, and forgets its answers (the next search asks again)", async () => {
    const calls = mockCommands({ search: (args) => [resultFor(args.query as string)] });
    const { app, client, unmount } = renderSearch("ab");
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS);
    await settle();
    expect(client.getQueryCache().findAll({ queryKey: keys.searches() }).length).toBeGreaterThan(0);
    app.setSearch("abc");
    unmount();
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS * 2);
    expect(calls.map((c) => c.args.query)).toEqual(["ab"]);
    expect(client.getQueryCache().findAll({ queryKey: keys.searches() })).toEqual([]);
  });
});
