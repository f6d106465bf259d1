// "Your data": the data folder, the cache's size (measured each time the screen shows),
// clearing the cache after a confirmation, and signing out (or leaving the demo).

import { createQuery } from "@tanstack/solid-query";
import { type JSX, Show, createSignal } from "solid-js";
import { useApp } from "../../app/context";
import { commands } from "../../bindings/commands";
import { toCommandError } from "../../ipc";
import { keys } from "../../queries/keys";
import { cacheSize } from "./cacheSummary";
import { createCacheClearing } from "./clearing";

const CONFIRMATION =
  "Everything received is removed from this computer and loads again from the marketplace. Messages not sent yet are kept.";

function CacheSize(): JSX.Element {
  // The backend's events do not name the cache's size: it is measured again on every visit.
  const stats = createQuery(() => ({
    queryKey: keys.cacheStats(),
    queryFn: () => commands.cacheStats(),
    refetchOnMount: "always" as const,
  }));
  const text = () => {
    if (stats.isSuccess) return cacheSize(stats.data);
    if (stats.isError) return `Not measured: ${toCommandError(stats.error).message}`;
    return "Measuring…";
  };
  return (
    <p class="setting-line">
      <span>Cache</span>
      <span class="muted cache-size">{text()}</span>
    </p>
  );
}

export function SignOutButton(): JSX.Element {
  const app = useApp();
  const demo = () => app.state.info?.mode === "demo";
  const [busy, setBusy] = createSignal(false);
  async function signOut(): Promise<void> {
    if (busy()) return;
    setBusy(true);
    try {
      const info = await (demo() ? commands.leaveDemo() : commands.signOut());
      app.setInfo(info);
      app.resetSession();
    } catch (error) {
      app.showProblem(toCommandError(error).message);
    } finally {
      setBusy(false);
    }
  }
  return (
    <button type="button" class="ghost sign-out" aria-busy={busy() ? "true" : undefined} onClick={() => void signOut()}>
      {demo() ? "Leave the demo" : "Sign out"}
    </button>
  );
}

export function YourData(): JSX.Element {
  const app = useApp();
  const clearing = createCacheClearing();
  const [confirming, setConfirming] = createSignal(false);
  let clearButton!: HTMLButtonElement;
  let cancelButton!: HTMLButtonElement;
  const dataDir = () => app.state.info?.dataDir ?? "";

  const ask = () => {
    setConfirming(true);
    cancelButton.focus();
  };
  // Either answer puts focus back where the question came from (its buttons are hidden).
  const answer = (confirmed: boolean) => {
    setConfirming(false);
    clearButton.focus();
    if (confirmed) void clearing.clear();
  };

  return (
    <fieldset class="settings-group data-settings">
      <legend>Your data</legend>
      <p class="setting-line">
        <span>Data folder</span>
        <code class="data-dir" title={dataDir()}>
          {dataDir()}
        </code>
      </p>
      <CacheSize />
      <Show when={clearing.note()}>
        {(note) => (
          <p class="muted cache-note" role="status">
            {note()}
          </p>
        )}
      </Show>
      <div class="setting-actions">
        <button
          ref={clearButton}
          type="button"
          class="ghost"
          aria-expanded={confirming() ? "true" : "false"}
          aria-busy={clearing.busy() ? "true" : undefined}
          onClick={() => {
            if (!clearing.busy()) ask();
          }}
        >
          {clearing.busy() ? "Clearing…" : "Clear cache…"}
        </button>
        <Show when={app.state.info?.signedIn}>
          <SignOutButton />
        </Show>
      </div>
      <div
        class="confirm-row"
        role="group"
        aria-label="Confirm clearing the cache"
        hidden={!confirming()}
        onKeyDown={(event) => {
          if (event.key === "Escape") answer(false);
        }}
      >
        <span>{CONFIRMATION}</span>
        <button type="button" class="danger" onClick={() => answer(true)}>
          Clear
        </button>
        <button ref={cancelButton} type="button" class="ghost" onClick={() => answer(false)}>
          Cancel
        </button>
      </div>
    </fieldset>
  );
}
