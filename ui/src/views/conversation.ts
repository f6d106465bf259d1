// The composer of the open conversation (the messages are views/thread.ts).

import { h } from "../dom";

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
