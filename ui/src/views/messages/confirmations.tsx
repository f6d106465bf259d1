// The questions a message row asks before acting on what a buyer sent: opening a link, saving a
// file that can run programs. Names and URLs are shown as text, bidi-isolated where a buyer chose them.

import { confirmDialog } from "../../components/ConfirmDialog";
import { linkDestination } from "./linkify";

/**
 * Asks "Open this link in your browser?" with the host it opens named first, in bold, and the
 * full URL below (focus on Cancel; Escape, Cancel or a click outside says no). Resolves with the
 * seller's answer; focus goes back to `returnFocus` (else to what had it).
 */
export function confirmOpenLink(url: string, returnFocus: HTMLElement | null = null): Promise<boolean> {
  const verb = /^mailto:/i.test(url) ? "Writes to " : "Opens ";
  const destination = linkDestination(url);
  return confirmDialog(
    {
      title: "Open this link in your browser?",
      body: [
        <p class="link-dialog-host">
          {verb}
          {/* The host as the browser reads it: left to right, whatever script it is in. */}
          <strong dir="ltr">{destination}</strong>
        </p>,
        <p class="link-dialog-url" dir="ltr">
          {url}
        </p>,
      ],
      confirmLabel: "Open",
    },
    returnFocus,
  );
}

/** Asks before saving a type that can run programs (the app decides which types those are). */
export function confirmExecutable(name: string, returnFocus: HTMLElement | null = null): Promise<boolean> {
  return confirmDialog(
    {
      title: "Save a file that can run programs?",
      body: [
        <bdi class="attachment-name" dir="auto">
          {name}
        </bdi>,
        "Files of this type can run programs on this computer when opened. Save it only if you expected it from this buyer.",
      ],
      confirmLabel: "Save anyway",
      danger: true,
    },
    returnFocus,
  );
}
