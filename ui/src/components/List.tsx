// The one list of the UI (the conversation list and the thread): keyed rows, a window of at most
// `maxRows` rows in the DOM over any number of loaded items, the scroll position kept while the
// list is away, and the next page asked for near an edge. Rows are in normal flow, so they may
// be any height and grow with their text; when the window moves or items arrive, the row under
// the seller's eyes stays where it was (at the very end of a thread, or the very top of a list
// read from the top, the view stays there instead).

import { type JSX, For, Show, children, createEffect, createRenderEffect, createSignal, on, onCleanup, onMount, untrack } from "solid-js";
import { createStore, reconcile } from "solid-js/store";
import { recordSince } from "../timings";

/** How close (px) to an edge of the rendered rows the window moves or the next page is asked for. */
export const EDGE_PX = 800;
/** Within this distance (px) of the end the list counts as following it. */
export const PINNED_PX = 40;

export type ListHandle = {
  /** Brings the row of `key` into view (centred, or just inside the nearest edge). */
  reveal(key: string, block?: "center" | "nearest"): void;
  /** Shows the last rows, scrolled to the end. */
  scrollToEnd(): void;
  /** The rendered window: indexes [start, end) into `items`. */
  window(): { start: number; end: number };
  /** The element that scrolls. */
  scroller(): HTMLElement;
};

export type ListProps<T extends object> = {
  items: readonly T[];
  /** The field that identifies an item: rows are kept by it, and updated in place. */
  keyField: keyof T & string;
  /** Rows in the DOM at most. */
  maxRows: number;
  /** Rows the window moves by when the seller nears one of its edges. */
  shift: number;
  /** How close (px) to an edge of the rendered rows the window moves (EDGE_PX unless said). */
  edgePx?: number;
  /** Start at the end and stay there while scrolled to it (a thread); otherwise start at the top. */
  followEnd?: boolean;
  /** More can be loaded before the first item / after the last one. */
  hasBefore?: boolean;
  hasAfter?: boolean;
  onNeedBefore?: () => void;
  onNeedAfter?: () => void;
  /** Where the list was is kept under this name while it is not shown. */
  saveAs?: string;
  /** Tells whether the end is in view and whether the view is far from it (a "Newest" button). */
  onPosition?: (position: { atEnd: boolean; farFromEnd: boolean }) => void;
  ref?: (handle: ListHandle) => void;
  /** The scroller's class; the list element (`ol`/`ul`) gets `listClass`. */
  class: string;
  listClass: string;
  ordered?: boolean;
  label: string;
  /** Extra attributes for the list element (e.g. aria-live). */
  listAttrs?: JSX.HTMLAttributes<HTMLOListElement>;
  empty: JSX.Element;
  /** Renders one row: a single `li` element. */
  children: (item: T) => JSX.Element;
};

type Saved = { key: string | null; offset: number; pinned: boolean };
const savedPositions = new Map<string, Saved>();

/** Forgets every saved position (a session ended). */
export function forgetListPositions(): void {
  savedPositions.clear();
}

export function List<T extends object>(props: ListProps<T>): JSX.Element {
  let scroller!: HTMLDivElement;
  let list: HTMLElement | undefined;
  const [store, setStore] = createStore<{ items: T[] }>({ items: [] });
  const [range, setRange] = createSignal({ start: 0, end: 0 });
  const saved = props.saveAs ? savedPositions.get(props.saveAs) : undefined;
  let pinned = saved ? saved.pinned : props.followEnd === true;
  let restoreTo: Saved | null = saved ?? null;

  const keyOf = (item: T) => String(item[props.keyField]);
  const rendered = () => {
    const { start, end } = range();
    return store.items.slice(start, end);
  };

  function rows(): HTMLElement[] {
    return list ? (Array.from(list.children) as HTMLElement[]) : [];
  }

  /** The first row at least partly in view and how far its top is below the view's top. */
  function visibleAnchor(): { key: string; offset: number } | null {
    const top = scroller.scrollTop;
    for (const row of rows()) {
      if (row.offsetTop + row.offsetHeight > top) return { key: row.dataset.key ?? "", offset: row.offsetTop - top };
    }
    return null;
  }

  function rowOf(key: string): HTMLElement | null {
    return rows().find((row) => row.dataset.key === key) ?? null;
  }

  function restore(anchor: { key: string | null; offset: number } | null): void {
    if (pinned && range().end >= store.items.length) {
      scroller.scrollTop = scroller.scrollHeight;
      return;
    }
    const row = anchor?.key ? rowOf(anchor.key) : null;
    if (row && anchor) scroller.scrollTop = row.offsetTop - anchor.offset;
  }

  function indexOf(key: string | null): number {
    if (key === null) return -1;
    return store.items.findIndex((item) => keyOf(item) === key);
  }

  /** A window of at most maxRows rows starting at `start`, inside the items. */
  function windowAt(start: number): { start: number; end: number } {
    const size = Math.min(props.maxRows, store.items.length);
    const from = Math.max(0, Math.min(start, store.items.length - size));
    return { start: from, end: from + size };
  }

  function report(): void {
    if (!props.onPosition) return;
    const { scrollTop, scrollHeight, clientHeight } = scroller;
    const fromEnd = scrollHeight - scrollTop - clientHeight;
    const atEnd = range().end >= store.items.length && fromEnd < PINNED_PX;
    props.onPosition({ atEnd, farFromEnd: range().end < store.items.length || fromEnd > 2 * Math.max(clientHeight, 1) });
  }

  // New items: reconciled by key (unchanged rows keep their element, changed ones update in
  // place), the window kept on the same rows, the view on the same row.
  createEffect(
    on(
      () => props.items,
      (items) => {
        const started = performance.now();
        // A list read from the top (the inbox) stays at the top while scrolled to it, so that
        // what arrives above shows; further down, the row under the seller's eyes stays put.
        const atTop = !props.followEnd && restoreTo === null && range().start === 0 && (!list || scroller.scrollTop < 1);
        const anchor = restoreTo ?? (list && !atTop ? visibleAnchor() : null);
        const first = untrack(() => store.items[range().start]);
        const firstKey = first ? keyOf(first) : null;
        const followed = pinned && range().end >= store.items.length;
        setStore("items", reconcile(items as T[], { key: props.keyField, merge: false }));
        let start: number;
        if (restoreTo && restoreTo.key !== null && indexOf(restoreTo.key) >= 0) start = indexOf(restoreTo.key) - Math.floor(props.maxRows / 2);
        else if (followed || (firstKey === null && props.followEnd)) start = items.length - props.maxRows;
        else if (atTop) start = 0;
        else start = firstKey !== null && indexOf(firstKey) >= 0 ? indexOf(firstKey) : 0;
        setRange(windowAt(start));
        recordSince(`list ${props.label}: items`, started);
        queueMicrotask(() => {
          if (!scroller.isConnected) return;
          const restoring = performance.now();
          restore(anchor);
          restoreTo = null;
          report();
          check();
          recordSince(`list ${props.label}: keep the view`, restoring);
        });
      },
    ),
  );

  /** Moves the window (or asks for the next page) when the view nears an edge of the rows. */
  function check(): void {
    if (!scroller.isConnected || store.items.length === 0) return;
    const { scrollTop, scrollHeight, clientHeight } = scroller;
    const { start, end } = range();
    const edge = props.edgePx ?? EDGE_PX;
    const nearStart = scrollTop < edge;
    const nearEnd = scrollHeight - scrollTop - clientHeight < edge;
    if (nearStart && start > 0) move(-props.shift);
    else if (nearEnd && end < store.items.length) move(props.shift);
    else {
      // At an end of what is loaded (a short list may be at both).
      if (nearStart && start === 0 && props.hasBefore) props.onNeedBefore?.();
      if (nearEnd && end >= store.items.length && props.hasAfter) props.onNeedAfter?.();
    }
  }

  function move(by: number): void {
    const anchor = visibleAnchor();
    const next = windowAt(range().start + by);
    if (next.start === range().start && next.end === range().end) return;
    setRange(next);
    restore(anchor);
  }

  let frame: number | null = null;
  onCleanup(() => frame !== null && cancelAnimationFrame(frame));
  function onScroll(): void {
    if (scroller.clientHeight > 0) {
      const { scrollTop, scrollHeight, clientHeight } = scroller;
      pinned = range().end >= store.items.length && scrollHeight - scrollTop - clientHeight < PINNED_PX;
    }
    if (frame !== null) return;
    frame = requestAnimationFrame(() => {
      frame = null;
      check();
      report();
    });
  }

  const handle: ListHandle = {
    reveal(key, block = "nearest") {
      const at = indexOf(key);
      if (at < 0) return;
      const { start, end } = range();
      if (at < start || at >= end) setRange(windowAt(at - Math.floor(props.maxRows / 2)));
      const row = rowOf(key);
      if (!row) return;
      if (block === "center") scroller.scrollTop = row.offsetTop - (scroller.clientHeight - row.offsetHeight) / 2;
      else if (row.offsetTop < scroller.scrollTop) scroller.scrollTop = row.offsetTop;
      else if (row.offsetTop + row.offsetHeight > scroller.scrollTop + scroller.clientHeight)
        scroller.scrollTop = row.offsetTop + row.offsetHeight - scroller.clientHeight;
      pinned = false;
      report();
    },
    scrollToEnd() {
      setRange(windowAt(store.items.length));
      pinned = true;
      scroller.scrollTop = scroller.scrollHeight;
      report();
    },
    window: () => range(),
    scroller: () => scroller,
  };

  onMount(() => props.ref?.(handle));
  onCleanup(() => {
    if (!props.saveAs) return;
    const anchor = list ? visibleAnchor() : null;
    savedPositions.set(props.saveAs, { key: anchor?.key ?? null, offset: anchor?.offset ?? 0, pinned });
  });

  // Each row is one element (an `li`); it is marked with its key, which anchors the view.
  const row = (item: T) => {
    const element = children(() => props.children(item));
    createRenderEffect(() => {
      const resolved = element();
      if (resolved instanceof HTMLElement) resolved.dataset.key = keyOf(item);
    });
    return element as unknown as JSX.Element;
  };

  return (
    <div class={props.class} ref={scroller} tabindex={0} aria-label={props.label} onScroll={onScroll}>
      <Show when={store.items.length > 0} fallback={props.empty}>
        {props.ordered ? (
          <ol class={props.listClass} ref={(el) => (list = el)} {...props.listAttrs}>
            <For each={rendered()}>{row}</For>
          </ol>
        ) : (
          <ul class={props.listClass} ref={(el) => (list = el)}>
            <For each={rendered()}>{row}</For>
          </ul>
        )}
      </Show>
    </div>
  );
}
