// Clearing the cache: the backend empties the database and the attachment files, the previews
// held in memory go too, and every query fills again from the (now empty) cache.

import { useQueryClient } from "@tanstack/solid-query";
import { createSignal } from "solid-js";
import { useApp } from "../../app/context";
import { commands } from "../../bindings/commands";
import { toCommandError } from "../../ipc";
import { keys } from "../../queries/keys";
import { clearPreviewCache } from "../messages/previews";
import { clearedNote } from "./cacheSummary";

export type CacheClearing = {
  /** What the last clearing removed (null until one ran). */
  note: () => string | null;
  busy: () => boolean;
  clear: () => Promise<void>;
};

export function createCacheClearing(): CacheClearing {
  const app = useApp();
  const client = useQueryClient();
  const [note, setNote] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);

  async function clear(): Promise<void> {
    if (busy()) return;
    setBusy(true);
    try {
      const report = await commands.clearCache();
      // The attachment files are gone from disk: their previews go from memory too.
      clearPreviewCache();
      setNote(clearedNote(report));
      // The new size first (the seller looks at it), then everything else shown refills;
      // the stats are left out of the second round: they were just fetched.
      await client.invalidateQueries({ queryKey: keys.cacheStats() });
      const stats = keys.cacheStats()[0];
      await client.invalidateQueries({ predicate: (query) => query.queryKey[0] !== stats });
    } catch (error) {
      app.showProblem(toCommandError(error).message);
    } finally {
      setBusy(false);
    }
  }

  return { note, busy, clear };
}
