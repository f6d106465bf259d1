// A modal yes/no question as a native <dialog> opened with showModal(): the page behind is inert
// and the app's shortcuts do not act behind it. Focus starts on Cancel; Escape, Cancel or a click
// on the backdrop says no; Tab stays on the two buttons; focus goes back to what opened it. It is
// labelled by its heading and described by its paragraphs. Everything shown is text or nodes the
// caller built (never markup).

import { type JSX, onMount } from "solid-js";
import { render } from "solid-js/web";

export type Question = {
  title: string;
  /** Paragraphs under the title: text, or a paragraph (a <p> element, kept as it is). */
  body: JSX.Element[];
  confirmLabel: string;
  /** A risky answer shows its button as dangerous. */
  danger?: boolean;
};

/** Ids unique per dialog, so a dialog never points at the paragraphs of another. */
let dialogCount = 0;

/** The paragraphs of `body`, each with an id the dialog is described by. */
function paragraphsOf(body: JSX.Element[], id: number): HTMLParagraphElement[] {
  return body.map((part, index) => {
    const paragraph = part instanceof HTMLParagraphElement ? part : ((<p>{part}</p>) as HTMLParagraphElement);
    if (!paragraph.id) paragraph.id = `confirm-dialog-body-${id}-${index}`;
    return paragraph;
  });
}

/** The dialog itself; `onAnswer` is called once per answer (the caller closes it). */
export function ConfirmDialog(props: { question: Question; onAnswer: (confirmed: boolean) => void }): JSX.Element {
  const id = ++dialogCount;
  const titleId = `confirm-dialog-title-${id}`;
  const paragraphs = paragraphsOf(props.question.body, id);
  let dialog!: HTMLDialogElement;
  let cancel!: HTMLButtonElement;
  let confirm!: HTMLButtonElement;

  onMount(() => {
    // Engines without showModal (older WebKit, test DOMs) still show it, as an open dialog.
    if (typeof dialog.showModal === "function") dialog.showModal();
    else dialog.setAttribute("open", "");
    cancel.focus();
  });

  const onKeyDown = (event: KeyboardEvent) => {
    // The app's shortcuts listen on the document: keys pressed in the dialog stay in it.
    event.stopPropagation();
    if (event.key === "Escape") {
      event.preventDefault();
      props.onAnswer(false);
    } else if (event.key === "Tab") {
      // Two buttons: either direction moves to the other one.
      event.preventDefault();
      (document.activeElement === cancel ? confirm : cancel).focus();
    }
  };

  return (
    <dialog
      ref={dialog}
      class="link-dialog"
      aria-labelledby={titleId}
      aria-describedby={paragraphs.map((paragraph) => paragraph.id).join(" ")}
      // A listener on the dialog itself (not Solid's delegation at the document), so stopping
      // the event here keeps it from the document's shortcut listeners.
      on:keydown={onKeyDown}
      // The engine's own close request (Escape, a platform back gesture): no, and closed by us.
      onCancel={(event) => {
        event.preventDefault();
        props.onAnswer(false);
      }}
      onClose={() => props.onAnswer(false)}
      // A click on the dialog element itself is on its backdrop: the frame covers the rest.
      onClick={(event) => {
        if (event.target === dialog) props.onAnswer(false);
      }}
    >
      <div class="link-dialog-frame">
        <h2 id={titleId} class="link-dialog-title">
          {props.question.title}
        </h2>
        {paragraphs}
        <div class="link-dialog-buttons">
          <button ref={cancel} type="button" class="ghost" onClick={() => props.onAnswer(false)}>
            Cancel
          </button>
          <button
            ref={confirm}
            type="button"
            class={props.question.danger ? "danger" : "primary"}
            onClick={() => props.onAnswer(true)}
          >
            {props.question.confirmLabel}
          </button>
        </div>
      </div>
    </dialog>
  );
}

/** The dialog on screen, if any: a new question answers it no. */
let open: { close(confirmed: boolean): void } | null = null;

/**
 * Asks `question` in a modal dialog; resolves with the seller's answer. Focus goes back to
 * `returnFocus` (else to what had it). A dialog already open is answered no first.
 */
export function confirmDialog(question: Question, returnFocus: HTMLElement | null = null): Promise<boolean> {
  open?.close(false);
  const previous = returnFocus ?? (document.activeElement instanceof HTMLElement ? document.activeElement : null);
  return new Promise((resolve) => {
    const host = document.createElement("div");
    host.className = "confirm-dialog-host";
    document.body.append(host);
    let dispose: (() => void) | null = null;
    const handle = {
      close(confirmed: boolean) {
        if (open !== handle) return;
        open = null;
        const dialog = host.querySelector("dialog");
        if (dialog?.open && typeof dialog.close === "function") dialog.close();
        dispose?.();
        host.remove();
        if (previous?.isConnected) previous.focus();
        resolve(confirmed);
      },
    };
    open = handle;
    dispose = render(() => <ConfirmDialog question={question} onAnswer={(confirmed) => handle.close(confirmed)} />, host);
  });
}

/** Answers the open dialog, if any, no (the session it asked for ended). */
export function dismissConfirmDialog(): void {
  open?.close(false);
}
