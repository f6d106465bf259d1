// The sign-in form shown in live mode when the data folder has no account (or the server
// rejected the token), with the way into the demo marketplace. The token is read from its
// field when the form is sent and the field is emptied at once: it is kept in no state.

import { useQueryClient } from "@tanstack/solid-query";
import { type JSX, Show, createEffect, createSignal, on } from "solid-js";
import { useApp } from "../app/context";
import type { AppInfo } from "../bindings/AppInfo";
import { commands } from "../bindings/commands";
import { toCommandError } from "../ipc";

export const REAUTH_NOTE = "The marketplace rejected your token. Enter a new one; everything already received stays here.";
const INTRO = "The access token is kept in your system keychain, never on disk.";

/** Whether this build offers the demo (strictly true: an older backend does not send it). */
function demoAvailable(info: AppInfo | null): boolean {
  return info?.demoAvailable === true;
}

export function SignInScreen(): JSX.Element {
  const app = useApp();
  const client = useQueryClient();
  /** The form's own error; undefined until the seller tried, then the backend's notices step aside. */
  const [error, setError] = createSignal<string | null | undefined>(undefined);
  const [submitting, setSubmitting] = createSignal(false);
  const [joiningDemo, setJoiningDemo] = createSignal(false);
  let server!: HTMLInputElement;
  let token!: HTMLInputElement;

  const shownError = () => {
    const own = error();
    if (own !== undefined) return own ?? "";
    const info = app.state.info;
    return info?.startupError?.message ?? info?.signOutNotice?.message ?? "";
  };

  // Signing in again: the server is known and the cache stays, so only the token is asked for.
  createEffect(
    on(
      () => app.state.reauth,
      (reauth) => {
        if (!reauth) return;
        server.value = app.state.info?.server ?? "";
        token.focus();
      },
    ),
  );

  async function submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (submitting()) return;
    const serverUrl = server.value.trim();
    const secret = token.value;
    token.value = "";
    setError(null);
    setSubmitting(true);
    try {
      const info = await commands.signIn(serverUrl, secret);
      app.setInfo(info);
      app.setReauth(false);
      void client.invalidateQueries();
    } catch (failure) {
      setError(toCommandError(failure).message);
      // The token field was emptied: the seller types the next one there.
      token.focus();
    } finally {
      setSubmitting(false);
    }
  }

  async function tryDemo(): Promise<void> {
    if (joiningDemo()) return;
    setError(null);
    setJoiningDemo(true);
    try {
      const info = await commands.tryDemo();
      app.setInfo(info);
      app.resetSession();
    } catch (failure) {
      const message = toCommandError(failure).message;
      setError(message);
      app.showProblem(message);
    } finally {
      setJoiningDemo(false);
    }
  }

  return (
    <section class="signin">
      <div class="signin-stack">
        <form class="signin-card" onSubmit={(event) => void submit(event)}>
          <h1>Sign in to your marketplace</h1>
          <p class="muted">{app.state.reauth ? REAUTH_NOTE : INTRO}</p>
          <label>
            <span>Server</span>
            <input
              ref={server}
              type="url"
              name="server"
              required
              placeholder="https://marketplace.example.com"
              autocomplete="url"
            />
          </label>
          <label>
            <span>Access token</span>
            <input ref={token} type="password" name="token" required autocomplete="off" />
          </label>
          <p class="form-error" role="alert">
            {shownError()}
          </p>
          <button type="submit" class="primary" disabled={submitting()}>
            {submitting() ? "Signing in…" : "Sign in"}
          </button>
        </form>
        {/* Signing in again keeps this account's cache: the demo is not offered then. */}
        <Show when={demoAvailable(app.state.info) && !app.state.reauth}>
          <div class="signin-demo">
            <p class="muted">No account at hand? A simulated marketplace with buyers, orders and listings; nothing is real.</p>
            <button type="button" class="ghost try-demo" disabled={joiningDemo()} onClick={() => void tryDemo()}>
              Try the demo marketplace
            </button>
          </div>
        </Show>
      </div>
    </section>
  );
}
