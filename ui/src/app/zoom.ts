// Text zoom: Ctrl+= / Ctrl++ / Ctrl+- / Ctrl+0 (⌘ on macOS) step the page's text size through
// ZOOM_STEPS. Every size in styles.css is in rem, so the root font size scales all of it; the
// root starts at 100%, the desktop's own text scale, and the zoom multiplies that.
// No Solid here. The shell: `applyZoom(preferences.textZoom)` when the preferences load; on
// keydown `const next = zoomFor(event, appliedZoom())`, and when it is not null
// `event.preventDefault()`, then if `next !== appliedZoom()` `applyZoom(next)` and save
// `{ ...preferences, textZoom: next }` with set_desktop_preferences.

/** The text sizes the shortcuts step through, in percent of the desktop's text size. */
export const ZOOM_STEPS = [50, 67, 75, 80, 90, 100, 110, 125, 150, 175, 200] as const;
export const ZOOM_DEFAULT = 100;
export const ZOOM_MIN = ZOOM_STEPS[0];
export const ZOOM_MAX = ZOOM_STEPS[ZOOM_STEPS.length - 1];

export type ZoomKeyEvent = Pick<KeyboardEvent, "key" | "code" | "ctrlKey" | "metaKey" | "altKey">;

/** A saved or typed-in value within ZOOM_MIN..ZOOM_MAX (a whole percent); anything else: the default. */
export function clampZoom(percent: number): number {
  if (!Number.isFinite(percent)) return ZOOM_DEFAULT;
  return Math.min(ZOOM_MAX, Math.max(ZOOM_MIN, Math.round(percent)));
}

/** Which way a key press zooms, or null when it is no zoom shortcut. */
function direction(event: ZoomKeyEvent): "in" | "out" | "reset" | null {
  // Ctrl+Alt is AltGr on Windows layouts, where it types characters: never a zoom.
  if (!(event.ctrlKey || event.metaKey) || event.altKey) return null;
  // `key` first: "+" sits on different keys per layout (shifted "=" on US, its own key on German).
  // The keypad by `code`, whatever Num Lock makes its `key`.
  if (event.key === "=" || event.key === "+" || event.code === "NumpadAdd") return "in";
  if (event.key === "-" || event.key === "_" || event.code === "NumpadSubtract") return "out";
  if (event.key === "0" || event.code === "Numpad0" || event.code === "Digit0") return "reset";
  return null;
}

/**
 * The text size after `event`, from `current` (percent): the next step up or down, 100 for
 * Ctrl+0, `current` itself at either end. Null when the key is no zoom shortcut (let it through);
 * otherwise the caller prevents the default and, if the size changed, applies and saves it.
 */
export function zoomFor(event: ZoomKeyEvent, current: number): number | null {
  const way = direction(event);
  if (way === null) return null;
  if (way === "reset") return ZOOM_DEFAULT;
  const from = clampZoom(current);
  // A saved value between steps (edited by hand) moves to the nearest step in that direction.
  if (way === "in") return ZOOM_STEPS.find((step) => step > from) ?? ZOOM_MAX;
  return [...ZOOM_STEPS].reverse().find((step) => step < from) ?? ZOOM_MIN;
}

/**
 * Sets the root font size to `percent` (clamped) of the desktop's text size. Through the CSSOM,
 * which the CSP's style-src 'self' allows (a style attribute in markup it would not).
 */
export function applyZoom(percent: number, root: HTMLElement = document.documentElement): number {
  const applied = clampZoom(percent);
  root.style.fontSize = applied === ZOOM_DEFAULT ? "" : `${applied}%`;
  return applied;
}

/** The zoom on screen now (what `applyZoom` last set; 100 when none), to step from. */
export function appliedZoom(root: HTMLElement = document.documentElement): number {
  const match = /^(\d+(?:\.\d+)?)%$/.exec(root.style.fontSize);
  return match ? clampZoom(Number(match[1])) : ZOOM_DEFAULT;
}
