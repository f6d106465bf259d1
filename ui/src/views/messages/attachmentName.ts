// The name an attachment is shown under.

import type { Attachment } from "../../bindings/Attachment";
import type { AttachmentView } from "../../bindings/AttachmentView";

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
