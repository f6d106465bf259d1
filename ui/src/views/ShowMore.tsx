// The "Show more" button under a list shown a page at a time: there while the last page was
// full, and kept (busy) while the next one loads so the keyboard focus on it is not lost.

import { type JSX, Show } from "solid-js";
import type { PagedList } from "../queries/paged";

export function ShowMore(props: { list: PagedList<unknown>; label: string }): JSX.Element {
  const busy = () => props.list.loading() && props.list.pages() > 1;
  return (
    <Show when={props.list.hasMore() || busy()}>
      <button
        type="button"
        class="ghost load-more"
        // aria-disabled, not disabled: a disabled button drops the focus.
        aria-disabled={busy() ? "true" : undefined}
        aria-busy={busy() ? "true" : undefined}
        onClick={() => props.list.loadMore()}
      >
        {busy() ? "Loading…" : props.label}
      </button>
    </Show>
  );
}
