// Editing one settings object that the backend stores as a whole (notification settings,
// desktop preferences). Each change is saved at once, one save at a time, and applied to the
// value saved last when its turn comes (in the one queue of that object's writes, queries/writes.ts),
// so a quick second change never overwrites the first with a stale copy. The query data changes only after the backend accepted a save; until
// then the control shows what the seller chose, and after a failure the saved value again.

import { type QueryKey, useQueryClient } from "@tanstack/solid-query";
import { batch, createComputed, createMemo, createSignal } from "solid-js";
import { useApp } from "../../app/context";
import { toCommandError } from "../../ipc";
import { serialWrite } from "../../queries/writes";

export type SettingsEditor<T> = {
  /** The saved value with the changes still being saved applied (what the controls show). */
  shown: () => T;
  /** Whether a change of `field` is being saved (its row says so). */
  saving: (field: string) => boolean;
  /** Saves `patch` applied to the saved value; `field` names the control it came from. */
  change: (field: string, patch: (draft: T) => void) => void;
};

type Change<T> = { field: string; patch: (draft: T) => void };

/** Plain data from the backend: a JSON round trip is a deep copy (and drops store proxies). */
function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export function createSettingsEditor<T>(options: {
  key: QueryKey;
  /** The query's data when the editor is made. */
  initial: T;
  /** The query's data as it changes (undefined once the query is dropped). */
  saved: () => T | undefined;
  save: (next: T) => Promise<unknown>;
  /** After a save the backend accepted, with what was saved before it. */
  onSaved?: (next: T, previous: T) => void;
}): SettingsEditor<T> {
  const client = useQueryClient();
  const app = useApp();
  // The query's observers hear of setQueryData a little later: the value saved last is held
  // here at once, so a row never flips back for a moment between its save and the query.
  const [base, setBase] = createSignal<T>(options.initial);
  createComputed(() => {
    const saved = options.saved();
    // A dropped query (the session ended) leaves the last value until the screen goes.
    if (saved !== undefined) setBase(() => saved);
  });
  const [pending, setPending] = createSignal<Change<T>[]>([]);
  const shown = createMemo(() => {
    const value = copy(base());
    for (const change of pending()) change.patch(value);
    return value;
  });
  async function run(change: Change<T>): Promise<void> {
    const previous = client.getQueryData<T>(options.key) ?? base();
    const next = copy(previous);
    change.patch(next);
    try {
      await options.save(next);
      batch(() => {
        client.setQueryData(options.key, next);
        setBase(() => next);
        setPending((list) => list.filter((c) => c !== change));
      });
      options.onSaved?.(next, previous);
    } catch (error) {
      setPending((list) => list.filter((c) => c !== change));
      app.showProblem(toCommandError(error).message);
    }
  }

  return {
    shown,
    saving: (field) => pending().some((change) => change.field === field),
    change(field, patch) {
      const change = { field, patch };
      setPending((list) => [...list, change]);
      void serialWrite(options.key, () => run(change));
    },
  };
}
