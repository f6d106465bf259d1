import { cleanup, fireEvent, waitFor } from "@solidjs/testing-library";
import { afterEach, describe, expect, it } from "vitest";
import type { ListingView } from "../bindings/ListingView";
import { PAGES } from "../bindings/pages";
import { keys } from "../queries/keys";
import { mockCommands, renderWithApp } from "../test-utils";
import { ListingsScreen, fieldText } from "./ListingsScreen";
import { seriousViolations } from "./axe.test-util";

const hostile = `<img src=x onerror="window.pwned=1">`;

function listing(overrides: Partial<ListingView> = {}): ListingView {
  return {
    id: "lst-1",
    price: { amount: 24.5, currency: "EUR" },
    availability: "in_stock",
    status: "active",
    changedAt: null,
    priceChangedAt: null,
    availabilityChangedAt: null,
    statusChangedAt: null,
    stock: { quantity: 2, status: "low_stock", threshold: 5 },
    lowStock: true,
    views: { "24h": { views: 12, uniqueViews: 9 }, "30d": { views: 1200, uniqueViews: 800 } },
    updatedAt: "2026-11-26T06:49:09.823Z",
    ...overrides,
  };
}

function listings(count: number, from = 1): ListingView[] {
  return Array.from({ length: count }, (_, i) => listing({ id: `lst-${from + i}`, lowStock: false }));
}

function rowIds(container: HTMLElement): string[] {
  return Array.from(container.querySelectorAll<HTMLElement>("tr[data-listing-id]")).map((tr) => tr.dataset.listingId ?? "");
}

afterEach(() => cleanup());

describe("listing fields", () => {
  it("reads the marketplace's field shapes", () => {
    expect(fieldText(null)).toBe("—");
    expect(fieldText("out_of_stock")).toBe("Out of stock");
    expect(fieldText({ amount: 3, currency: "USD" })).toContain("3");
    expect(fieldText({ weird: [1] })).toBe('{"weird":[1]}');
    expect(fieldText(1234)).toBe((1234).toLocaleString());
    expect(fieldText(true)).toBe("Yes");
    expect(fieldText(false)).toBe("No");
    expect(fieldText([1, "a"])).toBe('[1,"a"]');
  });
});

describe("listings screen", () => {
  it("highlights low stock and shows views per period", async () => {
    const calls = mockCommands({ list_listings: () => [listing(), listing({ id: "lst-2", lowStock: false, stock: null, views: {} })] });
    const { container } = renderWithApp(() => <ListingsScreen />);
    await waitFor(() => expect(rowIds(container)).toEqual(["lst-1", "lst-2"]));
    expect(calls).toEqual([{ command: "list_listings", args: { limit: PAGES.listings, offset: 0 } }]);
    const rows = container.querySelectorAll("tbody tr");
    expect(rows[0]).toHaveClass("low-stock");
    expect(rows[1]).not.toHaveClass("low-stock");
    expect(rows[0]?.textContent).toContain("Low stock (alert at 5)");
    expect(rows[0]?.textContent).toContain("1,200");
    expect(rows[0]?.textContent).toContain("In stock");
    const views = rows[0]?.querySelectorAll("td.views") ?? [];
    expect(Array.from(views).map((td) => td.textContent)).toEqual(["12", "—", (1200).toLocaleString()]);
    expect(views[0]).toHaveAttribute("title", "9 unique");
    expect(views[1]).not.toHaveAttribute("title");
    expect(rows[1]?.querySelector(".stack")).toBeNull();
    expect(container.querySelectorAll("th[scope=col]")).toHaveLength(9);
    expect(await seriousViolations(container)).toEqual([]);
    // One page was not full: nothing more to show.
    expect(container.querySelector(".load-more")).toBeNull();
  });

  it("pages past the first page: page 2 is fetched from its offset and shown below", async () => {
    const all = listings(PAGES.listings + 2);
    let answerSecond: (rows: ListingView[]) => void = () => {};
    const calls = mockCommands({
      list_listings: (args) => {
        const offset = args.offset as number;
        if (offset === 0) return all.slice(0, PAGES.listings);
        return new Promise<ListingView[]>((resolve) => (answerSecond = resolve));
      },
    });
    const { container } = renderWithApp(() => <ListingsScreen />);
    await waitFor(() => expect(rowIds(container)).toHaveLength(PAGES.listings));
    const more = container.querySelector<HTMLButtonElement>("button.load-more");
    expect(more?.textContent).toBe("Show more listings");
    fireEvent.click(more as HTMLButtonElement);
    // While it loads the button stays (focus is not lost), busy, and a second click asks nothing.
    await waitFor(() => expect(container.querySelector("button.load-more")).toHaveAttribute("aria-busy", "true"));
    expect(container.querySelector("button.load-more")).toHaveAttribute("aria-disabled", "true");
    expect(container.querySelector("button.load-more")?.textContent).toBe("Loading…");
    fireEvent.click(container.querySelector("button.load-more") as HTMLButtonElement);
    expect(calls.map((c) => c.args)).toEqual([
      { limit: PAGES.listings, offset: 0 },
      { limit: PAGES.listings, offset: PAGES.listings },
    ]);
    answerSecond(all.slice(PAGES.listings));
    await waitFor(() => expect(rowIds(container)).toHaveLength(PAGES.listings + 2));
    expect(rowIds(container).slice(-2)).toEqual([`lst-${PAGES.listings + 1}`, `lst-${PAGES.listings + 2}`]);
    expect(container.querySelector(".load-more")).toBeNull();
  });

  it("refetches the pages it shows when the backend says listings changed", async () => {
    let price = 10;
    const calls = mockCommands({ list_listings: () => [listing({ price: { amount: price, currency: "EUR" } })] });
    const { container, client } = renderWithApp(() => <ListingsScreen />);
    await waitFor(() => expect(container.querySelector("tbody td:nth-child(2)")?.textContent).toContain("10"));
    price = 12;
    await client.invalidateQueries({ queryKey: keys.listings() });
    await waitFor(() => expect(container.querySelector("tbody td:nth-child(2)")?.textContent).toContain("12"));
    expect(calls).toHaveLength(2);
  });

  it("says when there are none, or why they could not be read", async () => {
    mockCommands({ list_listings: () => [] });
    const { container } = renderWithApp(() => <ListingsScreen />);
    await waitFor(() => expect(container.querySelector(".empty")?.textContent).toBe("No listing updates yet"));
    cleanup();
    mockCommands({
      list_listings: () => {
        throw { code: "CACHE_ERROR", message: hostile };
      },
    });
    const failed = renderWithApp(() => <ListingsScreen />);
    await waitFor(() => expect(failed.container.querySelector("[role=alert]")?.textContent).toBe(hostile));
    expect(failed.container.querySelector("img")).toBeNull();
  });

  it("shows the marketplace's text as text, each with its own direction", async () => {
    mockCommands({
      list_listings: () => [listing({ id: hostile, price: hostile, availability: "متوفر", status: { note: hostile }, stock: { quantity: 1, status: "<b>low</b>", threshold: null } })],
    });
    const { container } = renderWithApp(() => <ListingsScreen />);
    await waitFor(() => expect(rowIds(container)).toEqual([hostile]));
    expect(container.querySelector("img")).toBeNull();
    const cells = container.querySelectorAll("tbody td");
    expect(cells[0]?.textContent).toBe(hostile);
    expect(cells[2]?.textContent).toBe("متوفر");
    for (const index of [0, 1, 2, 3]) expect(cells[index]).toHaveAttribute("dir", "auto");
    expect(container.querySelector("tbody .pill")).toHaveAttribute("dir", "auto");
    expect(container.querySelector("tbody .pill")?.textContent).toBe("<b>low</b>");
    expect(container.querySelector("b")).toBeNull();
  });
});
