// One attachment of a message: images show a preview the app made (a data: URL of its own
// thumbnail), fetched when the row comes near the view, or on a click when the seller switched
// automatic previews off and past the first MAX_AUTO_PREVIEWS of a message; every attachment has
// a Download button that saves it and says where, asking a second time for types that can run
// programs. Names are the ones the app made safe, shown bidi-isolated. Nothing is ever opened.

import { type JSX, Match, Show, Switch, createMemo, createSignal, onCleanup, onMount } from "solid-js";
import type { Attachment as AttachmentData } from "../../bindings/Attachment";
import type { AttachmentView } from "../../bindings/AttachmentView";
import { humanBytes } from "../../format";
import { toCommandError } from "../../ipc";
import { attachmentName } from "./attachmentName";
import { confirmExecutable } from "./confirmations";
import type { MessageActions } from "./context";
import { MAX_AUTO_PREVIEWS, cachedPreview, forgetPreview, hasPreview } from "./previews";
import { whenNearView } from "./visibility";

export type AttachmentProps = {
  /** The message it came with (the app fetches only what a cached message carries). */
  messageId: string;
  attachment: AttachmentData | AttachmentView;
  /** Without actions, only the name and size show: nothing is fetched or saved. */
  actions?: MessageActions;
  /** The seller's "Load image previews automatically" setting. */
  autoLoad: boolean;
  /** The attachment's place among the message's attachments. */
  index: number;
};

type PreviewState =
  | { kind: "waitingForClick" }
  | { kind: "loading" }
  | { kind: "shown"; data: string }
  | { kind: "failed"; reason: string };

/** The name as an isolated piece of text: its direction never reorders what is around it. */
function Name(props: { name: string; title?: string }): JSX.Element {
  return (
    <bdi class="attachment-name" dir="auto" title={props.title}>
      {props.name}
    </bdi>
  );
}

function Preview(props: { messageId: string; url: string; name: string; actions: MessageActions; automatic: boolean }): JSX.Element {
  let frame!: HTMLDivElement;
  // Already fetched this session: shown at once. Otherwise nothing is requested from the buyer's
  // URL until the seller asks, when previews are off or the message carries many.
  const startsLoading = props.automatic || hasPreview(props.url);
  const [state, setState] = createSignal<PreviewState>(startsLoading ? { kind: "loading" } : { kind: "waitingForClick" });
  let mounted = true;
  let stopWaiting = (): void => {};
  onCleanup(() => {
    mounted = false;
    stopWaiting();
  });

  const show = (): void => {
    setState({ kind: "loading" });
    cachedPreview(props.messageId, props.url, props.actions).then(
      (data) => mounted && setState({ kind: "shown", data }),
      (error: unknown) => mounted && setState({ kind: "failed", reason: toCommandError(error).message }),
    );
  };
  const retry = (): void => {
    forgetPreview(props.url);
    show();
  };
  onMount(() => {
    if (startsLoading) stopWaiting = whenNearView(frame, show);
  });

  const loading = () => state().kind === "loading";
  const shown = () => {
    const now = state();
    return now.kind === "shown" ? now.data : null;
  };
  const failed = () => {
    const now = state();
    return now.kind === "failed" ? now.reason : null;
  };
  const modifier = () => {
    switch (state().kind) {
      case "loading":
        return " loading";
      case "failed":
        return " failed";
      case "waitingForClick":
        return " click-to-load";
      case "shown":
        return "";
    }
  };

  // A fixed-size frame whatever it shows (a Load button, loading, the image, a failure): rows never jump.
  return (
    <div
      ref={frame}
      class={`attachment-preview${modifier()}`}
      role={loading() ? "img" : undefined}
      aria-label={loading() ? `Loading preview of ${props.name}` : undefined}
    >
      <Switch>
        <Match when={state().kind === "waitingForClick"}>
          <Name name={props.name} />
          <button type="button" class="link load-preview" aria-label={`Load preview of ${props.name}`} onClick={show}>
            Load preview
          </button>
        </Match>
        <Match when={shown()}>{(data) => <img alt={props.name} src={data()} draggable="false" />}</Match>
        <Match when={failed()}>
          {(reason) => (
            <span class="preview-error">
              <Name name={props.name} />
              <span dir="auto">{reason()}</span>
              <button type="button" class="link" aria-label={`Retry the preview of ${props.name}`} onClick={retry}>
                Retry
              </button>
            </span>
          )}
        </Match>
      </Switch>
    </div>
  );
}

function Download(props: { messageId: string; url: string; name: string; actions: MessageActions }): JSX.Element {
  let button!: HTMLButtonElement;
  const [status, setStatus] = createSignal("");
  const [busy, setBusy] = createSignal(false);

  /** One save; says how it went, and whether the app wants the seller to confirm first. */
  const attempt = async (confirmed: boolean): Promise<"done" | "needsConfirmation"> => {
    setStatus("Saving…");
    try {
      const path = await props.actions.save(props.messageId, props.url, props.name, confirmed);
      setStatus(`Saved to ${path}`);
    } catch (error) {
      const failure = toCommandError(error);
      if (failure.code === "ATTACHMENT_NEEDS_CONFIRMATION" && !confirmed) return "needsConfirmation";
      setStatus(`Could not save ${props.name}: ${failure.message}`);
    }
    return "done";
  };

  const download = async (): Promise<void> => {
    setBusy(true);
    try {
      if ((await attempt(false)) === "done") return;
      setStatus("");
      // Enabled while the question is up, so focus can come back to it.
      setBusy(false);
      if (!(await confirmExecutable(props.name, button))) {
        setStatus("Not saved");
        return;
      }
      setBusy(true);
      await attempt(true);
    } finally {
      setBusy(false);
    }
  };

  return (
    <span class="attachment-actions">
      <button
        ref={button}
        type="button"
        class="link attachment-download"
        aria-label={`Download ${props.name}`}
        disabled={busy()}
        onClick={() => void download()}
      >
        Download
      </button>
      <span class="attachment-status" role="status" dir="auto">
        {status()}
      </span>
    </span>
  );
}

export function Attachment(props: AttachmentProps): JSX.Element {
  const name = createMemo(() => attachmentName(props.attachment));
  const image = () => props.attachment.type === "image";
  const size = () => {
    const bytes = props.attachment.size;
    return typeof bytes === "number" && bytes > 0 ? humanBytes(bytes) : null;
  };
  return (
    <li class={`attachment ${image() ? "image" : "file"}`}>
      <Show when={image() && props.actions}>
        {(actions) => (
          <Preview
            messageId={props.messageId}
            url={props.attachment.url}
            name={name()}
            actions={actions()}
            automatic={props.autoLoad && props.index < MAX_AUTO_PREVIEWS}
          />
        )}
      </Show>
      <span class="attachment-info">
        <Name name={name()} title={name()} />
        <Show when={size()}>{(text) => <span class="attachment-size">{text()}</span>}</Show>
        <Show when={props.actions}>
          {(actions) => <Download messageId={props.messageId} url={props.attachment.url} name={name()} actions={actions()} />}
        </Show>
      </span>
    </li>
  );
}
