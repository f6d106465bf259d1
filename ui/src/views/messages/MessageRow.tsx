// One message of a thread: sender, text (with links), attachments, time and status tick, and for
// a refused message the reason with a retry button. The row is made once per message and its
// parts follow the message as it changes (a new status changes the tick and the classes, not the
// row), so focus, a pending download or an open question inside it survive live updates.
//
// Everything from the server or a buyer is shown as text, with its own direction (dir="auto").

import { For, type JSX, Show, createMemo, createSignal } from "solid-js";
import type { MessageView } from "../../bindings/MessageView";
import { isUnsent, messageTick, shortTime } from "../../format";
import { Attachment } from "./Attachment";
import { type MessageContext, type RetryHandler, isOwn } from "./context";
import { LinkedText } from "./LinkedText";

/** Why a message was refused, with Retry when the app can send it again. */
function FailureNote(props: { label: string; clientMessageId: string | null; onRetry: RetryHandler | null }): JSX.Element {
  const retry = createMemo(() => {
    const id = props.clientMessageId;
    const onRetry = props.onRetry;
    return id && onRetry ? () => onRetry(id) : null;
  });
  return (
    <span class="failure" dir="auto">
      {props.label}
      <Show when={retry()}>
        {(onClick) => (
          <>
            {" · "}
            <button type="button" class="link retry-message" aria-label="Retry sending this message" onClick={() => onClick()()}>
              Retry
            </button>
          </>
        )}
      </Show>
    </span>
  );
}

export function MessageRow(props: { message: MessageView; context: MessageContext }): JSX.Element {
  const own = () => isOwn(props.message);
  const tick = createMemo(() => {
    if (!own()) return null;
    const status = props.context.hideReadReceipts && props.message.status === "read" ? "delivered" : props.message.status;
    return messageTick({ status, failure: props.message.failure });
  });
  const classes = () => {
    const classes = ["message", own() ? "own" : "theirs"];
    if (props.message.id === props.context.foundId) classes.push("found");
    if (isUnsent(props.message)) classes.push("unsent");
    if (props.message.status === "failed") classes.push("failed");
    return classes.join(" ");
  };
  const [linkNote, setLinkNote] = createSignal("");
  const attachments = () => props.message.attachments;

  return (
    <li class={classes()} data-message-id={props.message.id} data-status={props.message.status}>
      <Show when={!own()}>
        <span class="sender" dir="auto">
          {props.message.sender.name}
        </span>
      </Show>
      <span class="content" dir="auto">
        <LinkedText text={props.message.content} actions={props.context.actions} onNote={setLinkNote} />
      </span>
      <span class="link-note" role="alert">
        {linkNote()}
      </span>
      <Show when={attachments().length > 0}>
        <ul class="attachments" aria-label={attachments().length > 1 ? `${attachments().length} attachments` : "Attachment"}>
          <For each={attachments()}>
            {(attachment, index) => (
              <Attachment
                messageId={props.message.id}
                attachment={attachment}
                actions={props.context.actions}
                autoLoad={props.context.loadPreviews !== false}
                index={index()}
              />
            )}
          </For>
        </ul>
      </Show>
      <Show when={props.message.status === "failed"}>
        <FailureNote
          label={tick()?.label ?? "Not sent"}
          clientMessageId={props.message.clientMessageId}
          onRetry={props.context.onRetry}
        />
      </Show>
      <span class="meta">
        <time datetime={props.message.timestamp}>{shortTime(props.message.timestamp)}</time>
        <Show when={tick()}>
          {(shownTick) => (
            <span class={`tick ${shownTick().tone}`} title={shownTick().label} aria-label={shownTick().label}>
              {shownTick().glyph}
            </span>
          )}
        </Show>
      </span>
    </li>
  );
}
