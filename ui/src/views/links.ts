// Links in message text: found (http, https, mailto, www.), shown as buttons (nothing in a message
// can navigate the webview), and opened in the system browser only after the seller confirms.

import { h } from "../dom";

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
