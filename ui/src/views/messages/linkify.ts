// Links in message text, as pure rules: which runs of a message are links (http, https, mailto,
// www.), the URL each opens, and what the confirmation names. Bounded work per message: a buyer's
// text is hostile, so candidates, their length and the scan are capped.

/** A run of message text, or a link in it (`href` is the URL to open, `text` what was written). */
export type TextPart = { text: string; href: null } | { text: string; href: string };

/** Candidates: http(s):// and mailto: URLs, and bare www. addresses (opened as https). */
const LINK_CANDIDATE = /\b(?:https?:\/\/|mailto:)[^\s<>"'`]+|\bwww\.[^\s<>"'`]+/gi;
/** Never the end of a link: sentence punctuation written right after it. */
function isTrailing(code: number): boolean {
  switch (code) {
    case 0x2e: // .
    case 0x2c: // ,
    case 0x3b: // ;
    case 0x3a: // :
    case 0x21: // !
    case 0x3f: // ?
    case 0x27: // '
    case 0x22: // "
    case 0x2026: // …
    case 0x2a: // *
    case 0x5f: // _
      return true;
    default:
      return false;
  }
}

/** Which pair `code` opens (0 `(`, 1 `[`, 2 `{`), or -1. */
function opens(code: number): number {
  return code === 0x28 ? 0 : code === 0x5b ? 1 : code === 0x7b ? 2 : -1;
}

/** Which pair `code` closes (0 `)`, 1 `]`, 2 `}`), or -1: a closer is part of the link when the link opened one. */
function closes(code: number): number {
  return code === 0x29 ? 0 : code === 0x5d ? 1 : code === 0x7d ? 2 : -1;
}

/** Longer candidates stay text: the backend refuses them (MAX_LINK_CHARS), and parsing one is wasted work. */
export const MAX_LINK_CHARS = 8192;
/** How many link candidates one message may have parsed (each is a URL parse). */
export const MAX_LINK_CANDIDATES = 200;
/** Controls and the invisible characters that reorder or hide text. */
const ACTS = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]/g;

/**
 * Work done on message text, in characters looked at; rendering a message stays linear in its
 * length (tests check it grows in step with the input, without timing anything).
 */
export const linkWork = { steps: 0 };

/** Per pair, how many more closers than openers `text.slice(0, end)` has. */
function unmatchedClosers(text: string, end: number): number[] {
  const unmatched = [0, 0, 0];
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    const open = opens(code);
    if (open >= 0) unmatched[open] = (unmatched[open] ?? 0) - 1;
    else {
      const close = closes(code);
      if (close >= 0) unmatched[close] = (unmatched[close] ?? 0) + 1;
    }
  }
  linkWork.steps += end;
  return unmatched;
}

/**
 * `text` without the punctuation that follows a link (a `)` stays when the link opened one).
 * Walks back from the end once; the brackets are counted once, when the first closer is met,
 * and kept up to date as closers go: linear, however many `)` a buyer writes.
 */
function trimTrailing(text: string): string {
  let end = text.length;
  let unmatched: number[] | null = null;
  while (end > 0) {
    linkWork.steps++;
    const code = text.charCodeAt(end - 1);
    if (isTrailing(code)) {
      end--;
      continue;
    }
    const pair = closes(code);
    if (pair < 0) break;
    unmatched ??= unmatchedClosers(text, end);
    const extra = unmatched[pair] ?? 0;
    if (extra <= 0) break;
    // The unmatched closer goes; the counts now describe text.slice(0, end - 1).
    unmatched[pair] = extra - 1;
    end--;
  }
  return text.slice(0, end);
}

/** The URL to open for a link as written, or null when it is not an http(s) or mailto link. */
export function linkHref(written: string): string | null {
  if (written.length > MAX_LINK_CHARS) return null;
  const candidate = /^www\./i.test(written) ? `https://${written}` : written;
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return null;
  }
  if (url.protocol === "http:" || url.protocol === "https:") {
    // `https://paypal.com@evil.test/` opens evil.test: not offered as a link (the backend
    // refuses it too).
    if (url.username || url.password) return null;
    return url.hostname ? url.href : null;
  }
  if (url.protocol === "mailto:") return url.pathname ? url.href : null;
  return null;
}

/**
 * What the confirmation names first: the host a web link opens (as the browser will read it,
 * `xn--` for look-alike international names), or a mail link's recipients.
 */
export function linkDestination(href: string): string {
  try {
    const url = new URL(href);
    // Decoded recipients are shown with any control or bidi character made visible.
    if (url.protocol === "mailto:") return decodeURIComponent(url.pathname).replace(ACTS, "\uFFFD") || "an email";
    return url.hostname;
  } catch {
    return href;
  }
}

/**
 * Splits message text into text and links; anything that is not a safe link stays text. At
 * most MAX_LINK_CANDIDATES candidates are parsed: past that (a message no seller reads as
 * links), the rest stays text, so one message never costs more than a bounded number of URL
 * parses.
 */
export function linkify(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let at = 0;
  let parsed = 0;
  for (const match of text.matchAll(LINK_CANDIDATE)) {
    if (parsed === MAX_LINK_CANDIDATES) break;
    const index = match.index ?? 0;
    const before = index > 0 ? (text[index - 1] ?? "") : "";
    // "awww.x", "a.www.x", "user@www.x", "/www.x": part of something else.
    if (/^www\./i.test(match[0]) && /[\w.@/-]/.test(before)) continue;
    linkWork.steps++;
    parsed++;
    const written = trimTrailing(match[0]);
    const href = written ? linkHref(written) : null;
    if (!href) continue;
    if (index > at) parts.push({ text: text.slice(at, index), href: null });
    parts.push({ text: written, href });
    at = index + written.length;
  }
  if (at < text.length) parts.push({ text: text.slice(at), href: null });
  return parts;
}

/**
 * What the seller reads when a `sellerdesk://` link names an order or conversation this cache
 * does not have. The id is not shown: any web page can send such a link, with any text in it.
 */
export function linkNotFoundText(kind: unknown): string {
  return kind === "order" ? "Link not followed: that order was not found" : "Link not followed: that conversation was not found";
}
