// Lists shown a page at a time. createPagedList: one query per page (keyed by the page's number
// under the list's key), the next page asked for with "Show more". createGrowingList: one query
// of the first rows, grown as the seller scrolls.

import { type QueryKey, createQueries, createQuery, keepPreviousData } from "@tanstack/solid-query";
import { PAGES } from "../bindings/pages";
import { createMemo, createSignal } from "solid-js";
import { type CommandError, toCommandError } from "../ipc";
import { recordSince } from "../timings";

export type PagedListOptions<T> = {
  /** The key of page `page`; a different key (another filter) starts again from one page. */
  key: (page: number) => QueryKey;
  fetch: (limit: number, offset: number) => Promise<T[]>;
  pageSize: number;
  /** Rows are told apart by this: a row that moved between pages while they refetched is shown once. */
  keyOf?: (row: T) => string;
};

export type PagedList<T> = {
  rows: () => T[];
  /** The last page was full: there may be more. */
  hasMore: () => boolean;
  loadMore: () => void;
  /** A page is being fetched for the first time. */
  loading: () => boolean;
  error: () => CommandError | null;
  /** How many pages are asked for. */
  pages: () => number;
};

export function createPagedList<T>(options: () => PagedListOptions<T>): PagedList<T> {
  const [pages, setPages] = createSignal(1);
  const results = createQueries(() => {
    const { key, fetch, pageSize } = options();
    return {
      queries: Array.from({ length: pages() }, (_, page) => ({
        queryKey: key(page),
        queryFn: () => fetch(pageSize, page * pageSize),
      })),
    };
  });
  const rows = createMemo(() => {
    const all: T[] = [];
    const keyOf = options().keyOf;
    const seen = new Set<string>();
    for (const result of results) {
      const data = result.data as T[] | undefined;
      if (!data) break;
      for (const row of data) {
        if (keyOf) {
          const key = keyOf(row);
          if (seen.has(key)) continue;
          seen.add(key);
        }
        all.push(row);
      }
      if (data.length < options().pageSize) break;
    }
    return all;
  });
  const hasMore = () => {
    const last = results[results.length - 1];
    const data = last?.data as T[] | undefined;
    return data !== undefined && data.length >= options().pageSize;
  };
  return {
    rows,
    hasMore,
    loadMore: () => {
      if (hasMore() && !results.some((r) => r.isPending && r.fetchStatus === "fetching")) setPages(pages() + 1);
    },
    loading: () => results.some((r) => r.isPending && r.fetchStatus === "fetching"),
    error: () => {
      const failed = results.find((r) => r.error);
      return failed ? toCommandError(failed.error) : null;
    },
    pages,
  };
}

export type GrowingListOptions<T> = {
  /** The key of the list's first `count` rows. */
  key: (count: number) => QueryKey;
  fetch: (limit: number, offset: number) => Promise<T[]>;
  /** Rows added each time the seller nears the end. */
  step: number;
};

/**
 * A live list the seller scrolls through (the conversation list): one query of its first
 * `count` rows, fetched in pages of at most PAGES.max, so a change anywhere in it costs one
 * fetch however far the seller has scrolled, and rows that move are never in two pages.
 */
export function createGrowingList<T>(options: () => GrowingListOptions<T>): PagedList<T> {
  const [count, setCount] = createSignal(options().step);
  const query = createQuery(() => {
    const { key, fetch } = options();
    const wanted = count();
    return {
      queryKey: key(wanted),
      queryFn: async () => {
        const started = performance.now();
        const rows: T[] = [];
        while (rows.length < wanted) {
          const limit = Math.min(PAGES.max, wanted - rows.length);
          const next = await fetch(limit, rows.length);
          rows.push(...next);
          if (next.length < limit) break;
        }
        recordSince("growing list: fetch", started);
        return rows;
      },
      // The rows shown stay while more of them load.
      placeholderData: keepPreviousData,
    };
  });
  const rows = () => (query.data as T[] | undefined) ?? [];
  const hasMore = () => !query.isPlaceholderData && rows().length >= count();
  return {
    rows,
    hasMore,
    loadMore: () => {
      if (hasMore() && !query.isFetching) setCount(count() + options().step);
    },
    loading: () => query.isPending || query.isPlaceholderData,
    error: () => (query.error ? toCommandError(query.error) : null),
    pages: () => Math.ceil(count() / options().step),
  };
}
