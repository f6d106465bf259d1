// A modal yes/no question in the app's own dialog (the link confirmation's look and behaviour):
// focus starts on Cancel; Escape, Cancel or a click outside says no; Tab stays on the two
// buttons; the app's shortcuts do not act behind it. Everything shown is text.

import { type Child, h } from "../dom";

let openDialog: { close(result: boolean): void } | null = null;
let dialogCount = 0;

export type Question = {
  title: string;
  /** Paragraphs under the title: text, or a paragraph built with h() (kept as it is). */
  body: Child[];
  confirmLabel: string;
  /** A risky answer shows its button as dangerous. */
  danger?: boolean;
};

/** Asks `question`; resolves with the seller's answer. Focus goes back to `returnFocus`. */
export function confirmDialog(question: Question, returnFocus: HTMLElement | null = null): Promise<boolean> {
  openDialog?.close(false);
  return new Promise((resolve) => {
    const id = ++dialogCount;
    const cancel = h("button", { type: "button", class: "ghost" }, "Cancel");
    const confirm = h("button", { type: "button", class: question.danger ? "danger" : "primary" }, question.confirmLabel);
    const paragraphs = question.body.map((part, index) => {
      const paragraph = part instanceof HTMLParagraphElement ? part : h("p", {}, part);
      if (!paragraph.id) paragraph.id = `confirm-dialog-body-${id}-${index}`;
      return paragraph;
    });
    const dialog = h(
      "div",
      {
        class: "link-dialog",
        role: "dialog",
        "aria-modal": "true",
        "aria-labelledby": `confirm-dialog-title-${id}`,
        "aria-describedby": paragraphs.map((paragraph) => paragraph.id).join(" "),
        tabindex: -1,
      },
      h("h2", { id: `confirm-dialog-title-${id}`, class: "link-dialog-title" }, question.title),
      ...paragraphs,
      h("div", { class: "link-dialog-buttons" }, cancel, confirm),
    );
    const backdrop = h("div", { class: "dialog-backdrop" }, dialog);
    const previous = returnFocus ?? (document.activeElement instanceof HTMLElement ? document.activeElement : null);
    const handle = {
      close(result: boolean) {
        if (openDialog !== handle) return;
        openDialog = null;
        backdrop.remove();
        if (previous?.isConnected) previous.focus();
        resolve(result);
      },
    };
    openDialog = handle;
    cancel.addEventListener("click", () => handle.close(false));
    confirm.addEventListener("click", () => handle.close(true));
    backdrop.addEventListener("click", (event) => {
      if (event.target === backdrop) handle.close(false);
    });
    backdrop.addEventListener("keydown", (event) => {
      event.stopPropagation();
      if (event.key === "Escape") {
        event.preventDefault();
        handle.close(false);
      } else if (event.key === "Tab") {
        event.preventDefault();
        (document.activeElement === cancel ? confirm : cancel).focus();
      }
    });
    document.body.append(backdrop);
    cancel.focus();
  });
}
