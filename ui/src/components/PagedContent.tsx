// What a list shown a page at a time shows: its rows once it has some, else why not — the
// error as text, "Loading…" while the first page comes, or what an empty list means.

import { type JSX, Match, Switch } from "solid-js";
import type { PagedList } from "../queries/paged";

export type PagedContentProps = {
  list: PagedList<unknown>;
  /** Said while the first page loads, e.g. "Loading listings…". */
  loading: string;
  /** Shown when the list is empty. */
  empty: JSX.Element;
  /** The rows (rendered while there are any). */
  children: JSX.Element;
};

export function PagedContent(props: PagedContentProps): JSX.Element {
  return (
    <Switch>
      <Match when={props.list.rows().length > 0}>{props.children}</Match>
      <Match when={props.list.error()}>
        {(error) => (
          <p class="empty failure" role="alert" dir="auto">
            {error().message}
          </p>
        )}
      </Match>
      <Match when={props.list.loading()}>
        <p class="empty muted" role="status">
          {props.loading}
        </p>
      </Match>
      <Match when={true}>{props.empty}</Match>
    </Switch>
  );
}
