import { describe, expect, it } from "vitest";
import type { SearchResult } from "../bindings/SearchResult";
import { canOpen, renderSearchResults, resultTitle, snippetNodes } from "./search";
import { h } from "../dom";

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
      { text: "<img src=x onerror=alert(1)>", hit: true },
      { text: " arrived", hit: false },
    ],
    timestamp: "2026-11-26T06:49:09.823Z",
    ...overrides,
  };
}

describe("search results", () => {
  it("marks hits as text, never markup", () => {
    const p = h("p", {}, ...snippetNodes(result().snippet));
    expect(p.textContent).toBe("The <img src=x onerror=alert(1)> arrived");
    expect(p.querySelector("img")).toBeNull();
    expect(p.querySelector("mark")?.textContent).toBe("<img src=x onerror=alert(1)>");
  });

  it("opens messages and orders, and says what each result is", () => {
    const container = h("section");
    const opened: SearchResult[] = [];
    const order = result({ kind: "order", conversationId: null, messageId: null, orderId: "ord-1", senderName: null });
    const listing = result({ kind: "listing", conversationId: null, messageId: null, listingId: "lst-1", senderName: null });
    renderSearchResults(container, { phase: "done", query: "x", results: [result(), order, listing] }, (r) => opened.push(r));
    const buttons = container.querySelectorAll<HTMLButtonElement>("button.search-result");
    expect(buttons).toHaveLength(2);
    buttons[0]?.click();
    buttons[1]?.click();
    expect(opened.map((r) => r.kind)).toEqual(["message", "order"]);
    expect(resultTitle(result())).toBe("Message from Zoë");
    expect(resultTitle(order)).toBe("Order ord-1");
    expect(canOpen(listing)).toBe(false);
    expect(container.textContent).toContain("Listing lst-1");
  });

  it("says when nothing was found or the search failed", () => {
    const container = h("section");
    renderSearchResults(container, { phase: "done", query: "zzz", results: [] }, () => {});
    expect(container.textContent).toContain("Nothing found");
    renderSearchResults(container, { phase: "failed", query: "zzz", message: "cache error" }, () => {});
    expect(container.querySelector("[role=alert]")?.textContent).toBe("cache error");
  });
});
