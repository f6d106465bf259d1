// How buyers are named and shown in the inbox.

import type { PresenceView } from "../../bindings/PresenceView";
import { shortTime } from "../../format";

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0], parts[parts.length - 1]] : parts;
  return letters.map((p) => Array.from(p)[0]?.toUpperCase() ?? "").join("") || "?";
}

/** "Online", "Away", "Offline" (or the server's newer word), for a label. */
export function presenceLabel(presence: PresenceView | null): string | null {
  if (!presence) return null;
  const word = presence.status.charAt(0).toUpperCase() + presence.status.slice(1);
  return presence.status !== "online" && presence.lastSeen ? `${word}, last seen ${shortTime(presence.lastSeen)}` : word;
}

/** The dot's colour: the spec's three states, anything newer neutral. */
export function presenceTone(status: string): string {
  return status === "online" || status === "away" || status === "offline" ? status : "other";
}
