// The open conversation: its messages (with status ticks) and the composer.

import type { MessageView } from "../bindings/MessageView";
import { h, replaceChildren } from "../dom";
import { isUnsent, messageTick, shortTime } from "../format";

export function isOwn(message: MessageView, selfId: string | null): boolean {
  return (selfId !== null && message.sender.id === selfId) || message.clientMessageId !== null;
}

/** Called with the client message id when the seller retries a refused message. */
export type RetryHandler = (clientMessageId: string) => void;

function failureNote(message: MessageView, label: string, onRetry: RetryHandler | null): HTMLElement {
  const retry =
    onRetry && message.clientMessageId
      ? h("button", { type: "button", class: "link retry-message", "aria-label": "Retry sending this message" }, "Retry")
      : null;
  const id = message.clientMessageId;
  if (retry && id && onRetry) retry.addEventListener("click", () => onRetry(id));
  return h("span", { class: "failure" }, label, retry ? " · " : null, retry);
}

function messageElement(
  message: MessageView,
  selfId: string | null,
  onRetry: RetryHandler | null,
  foundId: string | null,
): HTMLElement {
  const own = isOwn(message, selfId);
  const tick = own ? messageTick(message) : null;
  const classes = ["message", own ? "own" : "theirs"];
  if (message.id === foundId) classes.push("found");
  if (isUnsent(message)) classes.push("unsent");
  if (message.status === "failed") classes.push("failed");
  const attachments = message.attachments.length;
  return h(
    "li",
    { class: classes.join(" "), "data-message-id": message.id, "data-status": message.status },
    own ? null : h("span", { class: "sender" }, message.sender.name),
    h("span", { class: "content" }, message.content),
    attachments > 0 ? h("span", { class: "attachments" }, `${attachments} attachment${attachments > 1 ? "s" : ""}`) : null,
    message.status === "failed" ? failureNote(message, tick?.label ?? "Not sent", onRetry) : null,
    h(
      "span",
      { class: "meta" },
      h("time", { datetime: message.timestamp }, shortTime(message.timestamp)),
      tick ? h("span", { class: `tick ${tick.tone}`, title: tick.label, "aria-label": tick.label }, tick.glyph) : null,
    ),
  );
}

/**
 * Renders the messages, keeping the view pinned to the bottom if it was there. `foundId` is a
 * message just opened from search: it is marked (and stays marked across live re-renders).
 */
export function renderMessages(
  scroller: HTMLElement,
  messages: MessageView[],
  selfId: string | null,
  onRetry: RetryHandler | null = null,
  foundId: string | null = null,
): void {
  const atBottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 40;
  if (messages.length === 0) {
    replaceChildren(scroller, h("p", { class: "empty" }, "No messages yet"));
    return;
  }
  replaceChildren(scroller, h("ol", { class: "messages" }, ...messages.map((m) => messageElement(m, selfId, onRetry, foundId))));
  if (atBottom) scroller.scrollTop = scroller.scrollHeight;
}

export type KeyAction = "send" | "newline" | "none";

/** Enter sends, Shift+Enter is a new line; keys typed while an IME composes are left alone. */
export function composerKeyAction(event: Pick<KeyboardEvent, "key" | "shiftKey" | "isComposing">): KeyAction {
  if (event.key !== "Enter" || event.isComposing) return "none";
  return event.shiftKey ? "newline" : "send";
}

export type Composer = {
  element: HTMLFormElement;
  setEnabled(enabled: boolean): void;
  focus(): void;
  /** What is typed and not sent (the draft of the open conversation). */
  text(): string;
  setText(text: string): void;
};

export function createComposer(onSend: (text: string) => Promise<boolean>): Composer {
  const input = h("textarea", {
    class: "composer-input",
    rows: 1,
    placeholder: "Write a message…",
    "aria-label": "Message",
  });
  const button = h("button", { type: "submit", class: "primary" }, "Send");
  const form = h("form", { class: "composer" }, input, button);
  let busy = false;
  const submit = async () => {
    const text = input.value;
    if (busy || text.trim() === "") return;
    busy = true;
    button.disabled = true;
    try {
      if (await onSend(text)) input.value = "";
    } finally {
      busy = false;
      button.disabled = input.disabled;
      input.focus();
    }
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void submit();
  });
  input.addEventListener("keydown", (event) => {
    if (composerKeyAction(event) === "send") {
      event.preventDefault();
      void submit();
    }
  });
  return {
    element: form,
    setEnabled(enabled) {
      input.disabled = !enabled;
      button.disabled = !enabled;
    },
    focus() {
      input.focus();
    },
    text() {
      return input.value;
    },
    setText(text) {
      input.value = text;
    },
  };
}
