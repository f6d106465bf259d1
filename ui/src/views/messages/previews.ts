// Image previews kept for the session: data: URLs of thumbnails the app made itself (the webview
// loads nothing remote and never decodes a buyer's file), fetched once per URL and shared by every
// row that shows it (rows come and go as the thread scrolls). Bounded by count and by size.

import type { MessageActions } from "./context";

/** Previews of one message loaded without a click; the rest wait for one (a message may carry dozens). */
export const MAX_AUTO_PREVIEWS = 8;

/** Previews kept for this session; newest last. */
export const previewCache = new Map<string, Promise<string>>();
/** Data URLs are big: only the most recent previews are kept, by count and by size. */
export const PREVIEW_CACHE_SIZE = 60;
/** Characters of data URLs kept at most (a buyer's 10 MB photos must not fill the memory). */
export const PREVIEW_CACHE_CHARS = 48 * 1024 * 1024;
/** The size of each preview that arrived, by URL, and their sum. */
const previewChars = new Map<string, number>();
let cachedChars = 0;

/** Only raster images as data: URLs ever reach an <img> (no SVG: it can carry script and links). */
const IMAGE_DATA_URL = /^data:image\/(png|jpeg|gif|webp);base64,/;

/** Forgets one preview, so the next request fetches it again (a retry after a failure). */
export function forgetPreview(url: string): void {
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
      if (!IMAGE_DATA_URL.test(data)) throw new Error("not an image preview");
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

/** Whether `url`'s preview was asked for this session (a row shows it without another click). */
export function hasPreview(url: string): boolean {
  return previewCache.has(url);
}

/** Forgets every preview (on sign-out). */
export function clearPreviewCache(): void {
  previewCache.clear();
  previewChars.clear();
  cachedChars = 0;
}
