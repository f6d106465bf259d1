// One message of a thread: sender, text (with links), attachments, time and status tick, and for
// a refused message the reason with a retry button.
//
// Everything from the server is shown as text (see dom.ts). Links open in the system browser
// only for http, https and mailto, and only after the seller confirms in a dialog. Attachments
// are never opened: images show a preview the app hands over as a data: URL (the webview loads
// nothing remote), files have a Download button that saves them and says where.

import type { Attachment } from "../bindings/Attachment";
import type { MessageView } from "../bindings/MessageView";
import { type Child, h, replaceChildren } from "../dom";
import { humanBytes, isUnsent, messageTick, shortTime } from "../format";

export function isOwn(message: MessageView, selfId: string | null): boolean {
  return (selfId !== null && message.sender.id === selfId) || message.clientMessageId !== null;
}

/** Called with the client message id when the seller retries a refused message. */
export type RetryHandler = (clientMessageId: string) => void;

/**
 * What a row may ask of the app (see api.ts: attachmentPreview, saveAttachment, openLink).
 * Rejections carry a `message` (a CommandError) that is shown to the seller as text.
 */
export type MessageActions = {
  /** A `data:image/…` URL of an image attachment. */
  preview(url: string): Promise<string>;
  /** Saves an attachment into the Downloads folder; resolves with the saved file's path. */
  save(url: string, name: string): Promise<string>;
  /** Opens a link in the system browser (after the seller confirmed). */
  openLink(url: string): Promise<void>;
};

/** What a message row needs besides the message; one object shared by all rows of a thread. */
export type MessageContext = {
  /** The seller's own user id, once known (own messages show status ticks). */
  selfId: string | null;
  onRetry: RetryHandler | null;
  /** A message just opened from search, marked. */
  foundId: string | null;
  /** Previews, downloads and links; without them attachments show as names and links as text. */
  actions?: MessageActions;
  /** The seller chose not to see read receipts: read shows as delivered. */
  hideReadReceipts?: boolean;
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

function reason(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  if (typeof error === "object" && error !== null && typeof (error as { message?: unknown }).message === "string") {
    return (error as { message: string }).message;
  }
  return String(error);
}

// ---- links ------------------------------------------------------------------------------------

/** A run of message text, or a link in it (`href` is the URL to open, `text` what was written). */
export type TextPart = { text: string; href: null } | { text: string; href: string };

/** Candidates: http(s):// and mailto: URLs, and bare www. addresses (opened as https). */
const LINK_CANDIDATE = /\b(?:https?:\/\/|mailto:)[^\s<>"'`]+|\bwww\.[^\s<>"'`]+/gi;
/** Never the end of a link: sentence punctuation written right after it. */
const TRAILING = new Set([".", ",", ";", ":", "!", "?", "'", '"', "…", "*", "_"]);
const CLOSERS: Record<string, string> = { ")": "(", "]": "[", "}": "{" };

function count(text: string, char: string): number {
  let n = 0;
  for (const c of text) if (c === char) n++;
  return n;
}

/** `text` without the punctuation that follows a link (a `)` stays when the link opened one). */
function trimTrailing(text: string): string {
  let end = text.length;
  while (end > 0) {
    const last = text[end - 1] ?? "";
    const opener = CLOSERS[last];
    if (TRAILING.has(last)) end--;
    else if (opener !== undefined && count(text.slice(0, end), opener) < count(text.slice(0, end), last)) end--;
    else break;
  }
  return text.slice(0, end);
}

/** The URL to open for a link as written, or null when it is not an http(s) or mailto link. */
export function linkHref(written: string): string | null {
  const candidate = /^www\./i.test(written) ? `https://${written}` : written;
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return null;
  }
  if (url.protocol === "http:" || url.protocol === "https:") return url.hostname ? url.href : null;
  if (url.protocol === "mailto:") return url.pathname ? url.href : null;
  return null;
}

/** Splits message text into text and links; anything that is not a safe link stays text. */
export function linkify(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let plain = "";
  let at = 0;
  for (const match of text.matchAll(LINK_CANDIDATE)) {
    const index = match.index ?? 0;
    const before = index > 0 ? (text[index - 1] ?? "") : "";
    // "awww.x", "a.www.x", "user@www.x", "/www.x": part of something else.
    if (/^www\./i.test(match[0]) && /[\w.@/-]/.test(before)) continue;
    const written = trimTrailing(match[0]);
    const href = written ? linkHref(written) : null;
    if (!href) continue;
    plain += text.slice(at, index);
    if (plain) parts.push({ text: plain, href: null });
    plain = "";
    parts.push({ text: written, href });
    at = index + written.length;
  }
  plain += text.slice(at);
  if (plain) parts.push({ text: plain, href: null });
  return parts;
}

let openDialog: { close(result: boolean): void } | null = null;
let dialogCount = 0;

/**
 * Asks "Open this link in your browser?" with the full URL shown, in a modal dialog (focus on
 * Cancel; Escape, Cancel or a click outside says no). Resolves with the seller's answer; focus
 * goes back to `returnFocus` (else to what had it).
 */
export function confirmOpenLink(url: string, returnFocus: HTMLElement | null = null): Promise<boolean> {
  openDialog?.close(false);
  return new Promise((resolve) => {
    const id = ++dialogCount;
    const cancel = h("button", { type: "button", class: "ghost" }, "Cancel");
    const open = h("button", { type: "button", class: "primary" }, "Open");
    const dialog = h(
      "div",
      {
        class: "link-dialog",
        role: "dialog",
        "aria-modal": "true",
        "aria-labelledby": `link-dialog-title-${id}`,
        "aria-describedby": `link-dialog-url-${id}`,
        tabindex: -1,
      },
      h("h2", { id: `link-dialog-title-${id}`, class: "link-dialog-title" }, "Open this link in your browser?"),
      h("p", { id: `link-dialog-url-${id}`, class: "link-dialog-url" }, url),
      h("div", { class: "link-dialog-buttons" }, cancel, open),
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
    open.addEventListener("click", () => handle.close(true));
    backdrop.addEventListener("click", (event) => {
      if (event.target === backdrop) handle.close(false);
    });
    backdrop.addEventListener("keydown", (event) => {
      // The app's shortcuts do not act behind the dialog.
      event.stopPropagation();
      if (event.key === "Escape") {
        event.preventDefault();
        handle.close(false);
      } else if (event.key === "Tab") {
        // Focus stays on the dialog's two buttons.
        event.preventDefault();
        (document.activeElement === cancel ? open : cancel).focus();
      }
    });
    document.body.append(backdrop);
    cancel.focus();
  });
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
        replaceChildren(note, `Could not open the link: ${reason(error)}`);
      }
    });
    return link;
  });
}

// ---- attachments ------------------------------------------------------------------------------

/** Previews kept for this session (rows are rebuilt as the thread scrolls); newest last. */
export const previewCache = new Map<string, Promise<string>>();
/** Data URLs are big: only the most recent previews are kept. */
export const PREVIEW_CACHE_SIZE = 60;

/** The preview of `url`, fetched once per session (a failure too, until retried). */
export function cachedPreview(url: string, actions: MessageActions): Promise<string> {
  let preview = previewCache.get(url);
  if (preview) {
    // Most recently used last.
    previewCache.delete(url);
  } else {
    preview = actions.preview(url).then((data) => {
      // Only raster images as data: URLs ever reach an <img>.
      if (!/^data:image\/(png|jpeg|gif|webp);base64,/.test(data)) throw new Error("not an image preview");
      return data;
    });
  }
  previewCache.set(url, preview);
  while (previewCache.size > PREVIEW_CACHE_SIZE) {
    const oldest = previewCache.keys().next().value;
    if (oldest === undefined) break;
    previewCache.delete(oldest);
  }
  return preview;
}

/** Forgets every preview (on sign-out). */
export function clearPreviewCache(): void {
  previewCache.clear();
}

/** The attachment's file name: its own, else the last part of its URL. */
export function attachmentName(attachment: Attachment): string {
  const own = attachment.name?.trim();
  if (own) return own;
  try {
    const last = new URL(attachment.url).pathname.split("/").pop() ?? "";
    const decoded = decodeURIComponent(last).trim();
    if (decoded) return decoded;
  } catch {
    // A URL that does not parse or decode: the generic name.
  }
  return "attachment";
}

/** Starts `fetch` when `element` comes near the view (at once where that cannot be observed). */
let observer: IntersectionObserver | null = null;
const whenVisible = new WeakMap<Element, () => void>();

function onVisible(element: Element, fetch: () => void): void {
  if (typeof IntersectionObserver === "undefined") {
    queueMicrotask(fetch);
    return;
  }
  observer ??= new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        observer?.unobserve(entry.target);
        const start = whenVisible.get(entry.target);
        whenVisible.delete(entry.target);
        start?.();
      }
    },
    { rootMargin: "300px 0px" },
  );
  whenVisible.set(element, fetch);
  observer.observe(element);
}

function downloadButton(attachment: Attachment, name: string, actions: MessageActions): HTMLElement {
  const button = h("button", { type: "button", class: "link attachment-download", "aria-label": `Download ${name}` }, "Download");
  const status = h("span", { class: "attachment-status", role: "status" });
  button.addEventListener("click", async () => {
    button.disabled = true;
    replaceChildren(status, "Saving…");
    try {
      const path = await actions.save(attachment.url, name);
      replaceChildren(status, `Saved to ${path}`);
    } catch (error) {
      replaceChildren(status, `Could not save ${name}: ${reason(error)}`);
    } finally {
      button.disabled = false;
    }
  });
  return h("span", { class: "attachment-actions" }, button, status);
}

function preview(attachment: Attachment, name: string, actions: MessageActions): HTMLElement {
  // A fixed-size frame whatever it shows (loading, the image, a failure): rows never jump.
  const frame = h("div", { class: "attachment-preview loading", role: "img", "aria-label": `Loading preview of ${name}` });
  const show = () => {
    cachedPreview(attachment.url, actions).then(
      (data) => {
        frame.className = "attachment-preview";
        frame.removeAttribute("role");
        frame.removeAttribute("aria-label");
        replaceChildren(frame, h("img", { alt: name, src: data, draggable: "false" }));
      },
      (error: unknown) => {
        frame.className = "attachment-preview failed";
        frame.removeAttribute("role");
        frame.removeAttribute("aria-label");
        const retry = h("button", { type: "button", class: "link", "aria-label": `Retry the preview of ${name}` }, "Retry");
        retry.addEventListener("click", () => {
          previewCache.delete(attachment.url);
          frame.className = "attachment-preview loading";
          replaceChildren(frame);
          show();
        });
        replaceChildren(
          frame,
          h("span", { class: "preview-error" }, h("span", { class: "attachment-name" }, name), h("span", {}, reason(error)), retry),
        );
      },
    );
  };
  onVisible(frame, show);
  return frame;
}

function attachmentElement(attachment: Attachment, actions: MessageActions | undefined): HTMLElement {
  const name = attachmentName(attachment);
  const image = attachment.type === "image";
  const size = typeof attachment.size === "number" && attachment.size > 0 ? humanBytes(attachment.size) : null;
  return h(
    "li",
    { class: `attachment ${image ? "image" : "file"}` },
    image && actions ? preview(attachment, name, actions) : null,
    h(
      "span",
      { class: "attachment-info" },
      h("span", { class: "attachment-name", title: name }, name),
      size ? h("span", { class: "attachment-size" }, size) : null,
      actions ? downloadButton(attachment, name, actions) : null,
    ),
  );
}

// ---- the row ----------------------------------------------------------------------------------

export function messageElement(message: MessageView, context: MessageContext): HTMLElement {
  const { selfId, onRetry, foundId, actions } = context;
  const own = isOwn(message, selfId);
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
          ...attachments.map((a) => attachmentElement(a, actions)))
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
