// The status bar: connection state (with the reconnect countdown, moved on by the app's
// clock), the round trip of the last health check, the outbox count, the last problem and a
// Retry button (which offers to sign in again when the server rejected the token).

import { type JSX, createMemo } from "solid-js";
import { useApp } from "../app/context";
import { commands } from "../bindings/commands";
import { type ConnectionSummary, connectionSummary } from "../format";
import { toCommandError } from "../ipc";

/** "12 ms"; a loopback round trip rounds down to 0, which would read as "no delay at all". */
export function latencyText(ms: number): string {
  return ms < 1 ? "<1 ms" : `${Math.round(ms)} ms`;
}

export function StatusBar(): JSX.Element {
  const app = useApp();
  const summary = createMemo((): ConnectionSummary => {
    const info = app.state.info;
    if (!info?.signedIn) return { kind: "none", text: info ? "Not signed in" : "Starting…", canRetry: false };
    return connectionSummary(app.state.connection, app.state.connectionAt, app.clock());
  });
  // A figure from a connection that is gone (or not yet measured on this one) says nothing.
  const latency = () => {
    const ms = app.state.latencyMs;
    return summary().kind === "connected" && ms !== null ? latencyText(ms) : "";
  };
  const problem = () => app.state.problem?.text ?? "";

  async function retry(): Promise<void> {
    if (app.state.connection?.state === "authFailed" && app.state.info?.mode === "live") {
      app.setReauth(true);
      return;
    }
    try {
      await commands.retryNow();
    } catch (error) {
      app.showProblem(toCommandError(error).message);
    }
  }

  return (
    <footer class="statusbar" data-connection={summary().kind}>
      <span class="connection" role="status">
        <span class="dot" aria-hidden="true" />
        <span class="connection-text">{summary().text}</span>
      </span>
      <span class="latency" title="Round trip of the last health check" hidden={latency() === ""}>
        {latency()}
      </span>
      <span class="queued" data-count={String(app.state.pending)}>
        {app.state.pending === 0 ? "Nothing queued" : `${app.state.pending} queued`}
      </span>
      {/* Always in the page, so a problem that appears is announced. */}
      <span class="problem" role="alert" title={problem()}>
        {problem()}
      </span>
      <button type="button" class="retry" disabled={!summary().canRetry} onClick={() => void retry()}>
        {summary().kind === "authFailed" ? "Sign in again" : "Retry"}
      </button>
    </footer>
  );
}
