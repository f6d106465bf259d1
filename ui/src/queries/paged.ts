// A list shown a page at a time: one query per page (keyed by the page's number under the
// list's key), the next page asked for when the seller nears the end of the loaded ones.

import { type QueryKey, createQueries } from "@tanstack/solid-query";
import { createMemo, createSignal } from "solid-js";
import { type CommandError, toCommandError } from "../ipc";

export type PagedListOptions<T> = {
  /** The key of page `page`; a different key (another filter) starts again from one page. */
  key: (page: number) => QueryKey;
  fetch: (limit: number, offset: number) => Promise<T[]>;
  pageSize: number;
  enabled?: boolean;
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
  /** Back to the first page only. */
  reset: () => void;
};

export function createPagedList<T>(options: () => PagedListOptions<T>): PagedList<T> {
  const [pages, setPages] = createSignal(1);
  const results = createQueries(() => {
    const { key, fetch, pageSize, enabled } = options();
    return {
      queries: Array.from({ length: pages() }, (_, page) => ({
        queryKey: key(page),
        queryFn: () => fetch(pageSize, page * pageSize),
        enabled: enabled ?? true,
      })),
    };
  });
  const rows = createMemo(() => {
    const all: T[] = [];
    for (const result of results) {
      const data = result.data as T[] | undefined;
      if (!data) break;
      all.push(...data);
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
    reset: () => setPages(1),
  };
}
