// The status bar: connection state, the outbox count, the last problem and a Retry button.

import { h, replaceChildren } from "../dom";
import type { ConnectionSummary } from "../format";

export type StatusBar = {
  element: HTMLElement;
  update(summary: ConnectionSummary, pending: number, problem: string | null): void;
};

export function createStatusBar(onRetry: () => void): StatusBar {
  const dot = h("span", { class: "dot", "aria-hidden": "true" });
  const label = h("span", { class: "connection-text" });
  const connection = h("span", { class: "connection", role: "status" }, dot, label);
  const queued = h("span", { class: "queued" });
  const problem = h("span", { class: "problem" });
  const retry = h("button", { type: "button", class: "retry" }, "Retry");
  retry.addEventListener("click", onRetry);
  const element = h("footer", { class: "statusbar" }, connection, queued, problem, retry);
  return {
    element,
    update(summary, pending, problemText) {
      element.dataset.connection = summary.kind;
      replaceChildren(label, summary.text);
      queued.dataset.count = String(pending);
      replaceChildren(queued, pending === 0 ? "Nothing queued" : `${pending} queued`);
      replaceChildren(problem, problemText ?? "");
      problem.title = problemText ?? "";
      retry.disabled = !summary.canRetry;
      replaceChildren(retry, summary.kind === "authFailed" ? "Sign in again" : "Retry");
    },
  };
}
