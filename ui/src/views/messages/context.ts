// What a message row and its parts (text, links, attachments) need from the app, in one module
// that the row and the attachment components both import (neither imports the other for it).

import type { MessageView } from "../../bindings/MessageView";

/**
 * Written by the seller. Decided in the core (the sender is the seller's id, or the message is
 * the echo of one this device sent): a `clientMessageId` proves nothing, any buyer's message may
 * carry one.
 */
export function isOwn(message: Pick<MessageView, "own">): boolean {
  return message.own;
}

/** Called with the client message id when the seller retries a refused message. */
export type RetryHandler = (clientMessageId: string) => void;

/**
 * What a row may ask of the app (the attachment_preview, save_attachment and open_link commands).
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

/**
 * What a message row needs besides the message; one object shared by all rows of a thread. The
 * rows read its fields where they are shown, so a store or an object of getters updates them in
 * place (a plain object works too, for values that do not change).
 */
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
