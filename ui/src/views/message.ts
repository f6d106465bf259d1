// One message of a thread: sender, text (with links), attachments, time and status tick, and for
// a refused message the reason with a retry button.
//
// Everything from the server is shown as text (see dom.ts). Links open in the system browser
// only for http, https and mailto, and only after the seller confirms in a dialog. Attachments
// are never opened: images show a preview the app hands over as a data: URL (the webview loads
// nothing remote), files have a Download button that saves them and says where.

import type { MessageView } from "../bindings/MessageView";
import { type Child, h, replaceChildren } from "../dom";
import { toCommandError } from "../api";
import { isUnsent, messageTick, shortTime } from "../format";
import { attachmentElement } from "./attachments";
import { confirmOpenLink, linkify } from "./links";

/**
 * Written by the seller. Decided in the core (the sender is the seller's id, or the message is
 * the echo of one this device sent): a `clientMessageId` proves nothing, any buyer's message may
 * carry one.
 */
export function isOwn(message: MessageView): boolean {
  return message.own;
}

/** Called with the client message id when the seller retries a refused message. */
export type RetryHandler = (clientMessageId: string) => void;

/**
 * What a row may ask of the app (see api.ts: attachmentPreview, saveAttachment, openLink).
 * Rejections carry a `message` (a CommandError) that is shown to the seller as text.
 */
export type MessageActions = {
  /** A `data:image/…` URL of an image attachment. */
  preview(messageId: string, url: string): Promise<string>;
  /**
   * Saves an attachment into the Downloads folder; resolves with the saved file's path. A type
   * that can run programs is refused (ATTACHMENT_NEEDS_CONFIRMATION) unless `confirmed`.
   */
  save(messageId: string, url: string, name: string, confirmed?: boolean): Promise<string>;
  /** Opens a link in the system browser (after the seller confirmed). */
  openLink(url: string): Promise<void>;
};

/** What a message row needs besides the message; one object shared by all rows of a thread. */
export type MessageContext = {
  /** The seller's own user id, once known (which messages are theirs comes with each message). */
  selfId: string | null;
  onRetry: RetryHandler | null;
  /** A message just opened from search, marked. */
  foundId: string | null;
  /** Previews, downloads and links; without them attachments show as names and links as text. */
  actions?: MessageActions;
  /** The seller chose not to see read receipts: read shows as delivered. */
  hideReadReceipts?: boolean;
  /** "Load image previews automatically" (on unless false): off, a preview loads on a click. */
  loadPreviews?: boolean;
};

function failureNote(message: MessageView, label: string, onRetry: RetryHandler | null): HTMLElement {
  const retry =
    onRetry && message.clientMessageId
      ? h("button", { type: "button", class: "link retry-message", "aria-label": "Retry sending this message" }, "Retry")
      : null;
  const id = message.clientMessageId;
  if (retry && id && onRetry) retry.addEventListener("click", () => onRetry(id));
  return h("span", { class: "failure" }, label, retry ? " · " : null, retry);
}

function messageText(content: string, actions: MessageActions | undefined, note: HTMLElement): Child[] {
  if (!actions) return [content];
  return linkify(content).map((part) => {
    if (part.href === null) return part.text;
    const href = part.href;
    const link = h("button", { type: "button", class: "message-link", title: href }, part.text);
    link.addEventListener("click", async () => {
      if (!(await confirmOpenLink(href, link))) return;
      try {
        await actions.openLink(href);
        replaceChildren(note);
      } catch (error) {
        replaceChildren(note, `Could not open the link: ${toCommandError(error).message}`);
      }
    });
    return link;
  });
}

// ---- the row ----------------------------------------------------------------------------------

export function messageElement(message: MessageView, context: MessageContext): HTMLElement {
  const { onRetry, foundId, actions } = context;
  const own = isOwn(message);
  const receipt = context.hideReadReceipts && message.status === "read" ? { ...message, status: "delivered" } : message;
  const tick = own ? messageTick(receipt) : null;
  const classes = ["message", own ? "own" : "theirs"];
  if (message.id === foundId) classes.push("found");
  if (isUnsent(message)) classes.push("unsent");
  if (message.status === "failed") classes.push("failed");
  const linkNote = h("span", { class: "link-note", role: "alert" });
  const attachments = message.attachments;
  return h(
    "li",
    { class: classes.join(" "), "data-message-id": message.id, "data-status": message.status },
    own ? null : h("span", { class: "sender" }, message.sender.name),
    h("span", { class: "content" }, ...messageText(message.content, actions, linkNote)),
    linkNote,
    attachments.length > 0
      ? h("ul", { class: "attachments", "aria-label": attachments.length > 1 ? `${attachments.length} attachments` : "Attachment" },
          ...attachments.map((a, index) =>
            attachmentElement(message.id, a, actions, { autoLoad: context.loadPreviews !== false, index })))
      : null,
    message.status === "failed" ? failureNote(message, tick?.label ?? "Not sent", onRetry) : null,
    h(
      "span",
      { class: "meta" },
      h("time", { datetime: message.timestamp }, shortTime(message.timestamp)),
      tick ? h("span", { class: `tick ${tick.tone}`, title: tick.label, "aria-label": tick.label }, tick.glyph) : null,
    ),
  );
}
