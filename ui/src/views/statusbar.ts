// The status bar: connection state, the round trip of the last health check, the outbox count,
// the last problem and a Retry button.

import { h, replaceChildren } from "../dom";
import type { ConnectionSummary } from "../format";

export type StatusBar = {
  element: HTMLElement;
  /** `latencyMs`: the last `health.check` round trip; shown only while connected. */
  update(summary: ConnectionSummary, pending: number, problem: string | null, latencyMs?: number | null): void;
};

/** "12 ms"; a loopback round trip rounds down to 0, which would read as "no delay at all". */
export function latencyText(ms: number): string {
  return ms < 1 ? "<1 ms" : `${Math.round(ms)} ms`;
}

export function createStatusBar(onRetry: () => void): StatusBar {
  const dot = h("span", { class: "dot", "aria-hidden": "true" });
  const label = h("span", { class: "connection-text" });
  const connection = h("span", { class: "connection", role: "status" }, dot, label);
  const latency = h("span", { class: "latency", title: "Round trip of the last health check" });
  latency.hidden = true;
  const queued = h("span", { class: "queued" });
  const problem = h("span", { class: "problem" });
  const retry = h("button", { type: "button", class: "retry" }, "Retry");
  retry.addEventListener("click", onRetry);
  const element = h("footer", { class: "statusbar" }, connection, latency, queued, problem, retry);
  return {
    element,
    update(summary, pending, problemText, latencyMs = null) {
      element.dataset.connection = summary.kind;
      replaceChildren(label, summary.text);
      // A figure from a connection that is gone (or not yet measured on this one) says nothing.
      const shown = summary.kind === "connected" && latencyMs !== null ? latencyText(latencyMs) : "";
      latency.hidden = shown === "";
      replaceChildren(latency, shown);
      queued.dataset.count = String(pending);
      replaceChildren(queued, pending === 0 ? "Nothing queued" : `${pending} queued`);
      replaceChildren(problem, problemText ?? "");
      problem.title = problemText ?? "";
      retry.disabled = !summary.canRetry;
      replaceChildren(retry, summary.kind === "authFailed" ? "Sign in again" : "Retry");
    },
  };
}
