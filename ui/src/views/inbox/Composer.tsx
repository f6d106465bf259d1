// The open conversation's composer. Its draft belongs to the conversation: switching away keeps
// it (for this session), switching back brings it back.

import { type JSX, createSignal, onCleanup, onMount } from "solid-js";
import type { Drafts } from "../../keys";
import { composerKeyAction } from "./composer";

export type ComposerProps = {
  conversationId: string;
  drafts: Drafts;
  /** Resolves true when the message was queued (the text is then cleared). */
  onSend: (text: string) => Promise<boolean>;
  /** Focus the input when shown (the seller opened the conversation). */
  autofocus?: boolean;
};

export function Composer(props: ComposerProps): JSX.Element {
  let input!: HTMLTextAreaElement;
  const [busy, setBusy] = createSignal(false);
  const id = props.conversationId;

  onMount(() => {
    input.value = props.drafts.take(id);
    if (props.autofocus) input.focus();
  });
  onCleanup(() => props.drafts.save(id, input.value));

  async function submit(): Promise<void> {
    const text = input.value;
    if (busy() || text.trim() === "") return;
    setBusy(true);
    try {
      if (await props.onSend(text)) {
        input.value = "";
        // Sent while the seller moved on: the text left with them as a draft, which it no longer is.
        if (props.drafts.take(id) === text) props.drafts.save(id, "");
      }
    } finally {
      setBusy(false);
      input.focus();
    }
  }

  return (
    <form
      class="composer"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <textarea
        ref={input}
        class="composer-input"
        rows={1}
        placeholder="Write a message…"
        aria-label="Message"
        dir="auto"
        onKeyDown={(event) => {
          if (composerKeyAction(event) === "send") {
            event.preventDefault();
            void submit();
          }
        }}
      />
      <button type="submit" class="primary" disabled={busy()}>
        Send
      </button>
    </form>
  );
}
