// Attachments of a message: image previews the app hands over as data: URLs of thumbnails it made
// itself (the webview loads nothing remote and never decodes a buyer's file), fetched when the row
// comes near the view (or on a click: when the seller switched automatic previews off, and past
// the first MAX_AUTO_PREVIEWS of a message) and kept for the session; files with a Download button
// that saves them and says where, asking a second time for types that can run programs. Names are
// the ones the app made safe, shown bidi-isolated. Nothing is ever opened.

import type { Attachment } from "../bindings/Attachment";
import type { AttachmentView } from "../bindings/AttachmentView";
import { h, replaceChildren } from "../dom";
import { toCommandError } from "../api";
import { humanBytes } from "../format";
import { confirmDialog } from "./dialog";
import type { MessageActions } from "./message";

/** Previews of one message loaded without a click; the rest wait for one (a message may carry dozens). */
export const MAX_AUTO_PREVIEWS = 8;

/** How an attachment row fetches its preview. */
export type PreviewOptions = {
  /** The seller's "Load image previews automatically" setting. */
  autoLoad: boolean;
  /** The attachment's place among the message's attachments. */
  index: number;
};

/** Previews kept for this session (rows are rebuilt as the thread scrolls); newest last. */
export const previewCache = new Map<string, Promise<string>>();
/** Data URLs are big: only the most recent previews are kept, by count and by size. */
export const PREVIEW_CACHE_SIZE = 60;
/** Characters of data URLs kept at most (a buyer's 10 MB photos must not fill the memory). */
export const PREVIEW_CACHE_CHARS = 48 * 1024 * 1024;
/** The size of each preview that arrived, by URL, and their sum. */
const previewChars = new Map<string, number>();
let cachedChars = 0;

function forgetPreview(url: string): void {
  previewCache.delete(url);
  cachedChars -= previewChars.get(url) ?? 0;
  previewChars.delete(url);
}

/** Drops the least recently used previews while the cache holds too many or too much. */
function evictPreviews(): void {
  while (previewCache.size > PREVIEW_CACHE_SIZE || (previewCache.size > 1 && cachedChars > PREVIEW_CACHE_CHARS)) {
    const oldest = previewCache.keys().next().value;
    if (oldest === undefined) break;
    forgetPreview(oldest);
  }
}

/** The preview of `url`, fetched once per session (a failure too, until retried). */
export function cachedPreview(messageId: string, url: string, actions: MessageActions): Promise<string> {
  let preview = previewCache.get(url);
  if (preview) {
    // Most recently used last.
    previewCache.delete(url);
  } else {
    preview = actions.preview(messageId, url).then((data) => {
      // Only raster images as data: URLs ever reach an <img>.
      if (!/^data:image\/(png|jpeg|gif|webp);base64,/.test(data)) throw new Error("not an image preview");
      if (previewCache.has(url) && !previewChars.has(url)) {
        previewChars.set(url, data.length);
        cachedChars += data.length;
        evictPreviews();
      }
      return data;
    });
  }
  previewCache.set(url, preview);
  evictPreviews();
  return preview;
}

/** Forgets every preview (on sign-out). */
export function clearPreviewCache(): void {
  previewCache.clear();
  previewChars.clear();
  cachedChars = 0;
}

/**
 * The name to show: the one the app made safe (`displayName`: no folders, control or bidi
 * characters, reserved names); for an attachment without one, its own name, else the last part
 * of its URL. Always shown as text, bidi-isolated.
 */
export function attachmentName(attachment: Attachment | AttachmentView): string {
  const safe = "displayName" in attachment ? attachment.displayName.trim() : "";
  if (safe) return safe;
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

/** The name as an isolated piece of text: its direction never reorders what is around it. */
function nameElement(name: string, extra: Record<string, string> = {}): HTMLElement {
  return h("bdi", { class: "attachment-name", dir: "auto", ...extra }, name);
}

/** Starts `fetch` when `element` comes near the view (at once where that cannot be observed). */
let observer: IntersectionObserver | null = null;
const whenVisible = new WeakMap<Element, () => void>();

/** Stops waiting for the previews inside `root` to come into view (its rows left the thread). */
export function releasePreviews(root: Element): void {
  for (const frame of root.querySelectorAll(".attachment-preview")) {
    if (!whenVisible.has(frame)) continue;
    observer?.unobserve(frame);
    whenVisible.delete(frame);
  }
}

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

/** Asks before saving a type that can run programs (the app decides which types those are). */
function confirmExecutable(name: string, returnFocus: HTMLElement): Promise<boolean> {
  return confirmDialog(
    {
      title: "Save a file that can run programs?",
      body: [
        nameElement(name),
        "Files of this type can run programs on this computer when opened. Save it only if you expected it from this buyer.",
      ],
      confirmLabel: "Save anyway",
      danger: true,
    },
    returnFocus,
  );
}

function downloadButton(messageId: string, attachment: Attachment, name: string, actions: MessageActions): HTMLElement {
  const button = h("button", { type: "button", class: "link attachment-download", "aria-label": `Download ${name}` }, "Download");
  const status = h("span", { class: "attachment-status", role: "status" });
  const save = async (confirmed: boolean): Promise<void> => {
    replaceChildren(status, "Saving…");
    try {
      const path = await actions.save(messageId, attachment.url, name, confirmed);
      replaceChildren(status, `Saved to ${path}`);
    } catch (error) {
      const failure = toCommandError(error);
      if (failure.code === "ATTACHMENT_NEEDS_CONFIRMATION" && !confirmed) {
        replaceChildren(status);
        if (await confirmExecutable(name, button)) await save(true);
        else replaceChildren(status, "Not saved");
        return;
      }
      replaceChildren(status, `Could not save ${name}: ${failure.message}`);
    }
  };
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      await save(false);
    } finally {
      button.disabled = false;
    }
  });
  return h("span", { class: "attachment-actions" }, button, status);
}

function preview(messageId: string, attachment: Attachment, name: string, actions: MessageActions, options: PreviewOptions): HTMLElement {
  // A fixed-size frame whatever it shows (a Load button, loading, the image, a failure): rows never jump.
  const frame = h("div", { class: "attachment-preview loading", role: "img", "aria-label": `Loading preview of ${name}` });
  const show = () => {
    frame.className = "attachment-preview loading";
    frame.setAttribute("role", "img");
    frame.setAttribute("aria-label", `Loading preview of ${name}`);
    replaceChildren(frame);
    cachedPreview(messageId, attachment.url, actions).then(
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
          forgetPreview(attachment.url);
          frame.className = "attachment-preview loading";
          replaceChildren(frame);
          show();
        });
        replaceChildren(frame, h("span", { class: "preview-error" }, nameElement(name), h("span", {}, toCommandError(error).message), retry));
      },
    );
  };
  // Already fetched this session: shown at once. Otherwise nothing is requested from the buyer's
  // URL until the seller asks, when previews are off or the message carries many.
  const automatic = options.autoLoad && options.index < MAX_AUTO_PREVIEWS;
  if (automatic || previewCache.has(attachment.url)) {
    onVisible(frame, show);
    return frame;
  }
  frame.className = "attachment-preview click-to-load";
  frame.removeAttribute("role");
  frame.removeAttribute("aria-label");
  const load = h("button", { type: "button", class: "link load-preview", "aria-label": `Load preview of ${name}` }, "Load preview");
  load.addEventListener("click", () => show());
  replaceChildren(frame, nameElement(name), load);
  return frame;
}

/** One attachment of message `messageId` (the app fetches only what a cached message carries). */
export function attachmentElement(
  messageId: string,
  attachment: Attachment | AttachmentView,
  actions: MessageActions | undefined,
  options: PreviewOptions = { autoLoad: true, index: 0 },
): HTMLElement {
  const name = attachmentName(attachment);
  const image = attachment.type === "image";
  const size = typeof attachment.size === "number" && attachment.size > 0 ? humanBytes(attachment.size) : null;
  return h(
    "li",
    { class: `attachment ${image ? "image" : "file"}` },
    image && actions ? preview(messageId, attachment, name, actions, options) : null,
    h(
      "span",
      { class: "attachment-info" },
      nameElement(name, { title: name }),
      size ? h("span", { class: "attachment-size" }, size) : null,
      actions ? downloadButton(messageId, attachment, name, actions) : null,
    ),
  );
}
