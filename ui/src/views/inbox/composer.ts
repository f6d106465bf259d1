// What a key press in the composer does, decided apart from the DOM so it can be tested.

export type KeyAction = "send" | "newline" | "none";

/** Enter sends, Shift+Enter is a new line; keys typed while an IME composes are left alone. */
export function composerKeyAction(event: Pick<KeyboardEvent, "key" | "shiftKey" | "isComposing">): KeyAction {
  if (event.key !== "Enter" || event.isComposing) return "none";
  return event.shiftKey ? "newline" : "send";
}
