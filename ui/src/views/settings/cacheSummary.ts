// The wording of the "Your data" figures: the cache's size and what a clearing removed.

import type { CacheStats } from "../../bindings/CacheStats";
import type { ClearReport } from "../../bindings/ClearReport";
import { counted, humanBytes } from "../../format";

/** What the cache statistics' kinds are called on screen: one, and more than one. */
const KIND_NAMES: Record<string, [string, string]> = {
  conversations: ["conversation", "conversations"],
  messages: ["message", "messages"],
  orders: ["order", "orders"],
  orderEvents: ["order event", "order events"],
  listings: ["listing", "listings"],
  notifications: ["notification", "notifications"],
  presence: ["buyer status", "buyer statuses"],
  outbox: ["unsent message", "unsent messages"],
  attachments: ["attachment file", "attachment files"],
};

/** "3.0 MB on disk · 1,200 messages, 30 order events": the database file and the attachment files. */
export function cacheSize(stats: CacheStats): string {
  const attachmentBytes = stats.kinds.find((k) => k.kind === "attachments")?.bytes ?? 0;
  // The search index repeats the messages: counting it would count them twice.
  const contents = stats.kinds
    .filter((k) => k.rows > 0 && k.kind !== "searchIndex")
    .map((k) => counted(k.rows, ...(KIND_NAMES[k.kind] ?? [k.kind, k.kind])))
    .join(", ");
  return `${humanBytes(stats.fileBytes + attachmentBytes)} on disk · ${contents || "empty"}`;
}

/** What a clearing did, said once it is done. */
export function clearedNote(report: ClearReport): string {
  return `Cleared: ${report.rowsRemoved.toLocaleString("en")} rows removed, ${humanBytes(report.fileBytesBefore)} → ${humanBytes(report.fileBytesAfter)} on disk; ${counted(report.attachmentFilesRemoved, "attachment file", "attachment files")} (${humanBytes(report.attachmentBytesRemoved)}) removed.`;
}
