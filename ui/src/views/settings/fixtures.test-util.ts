// Settings as a seller has them: a quiet-hours schedule, muted conversations, a cache with rows.

import type { CacheStats } from "../../bindings/CacheStats";
import type { ClearReport } from "../../bindings/ClearReport";
import type { DesktopPreferences } from "../../bindings/DesktopPreferences";
import type { NotificationSettings } from "../../bindings/NotificationSettings";

export function notificationSettings(): NotificationSettings {
  return {
    categories: {
      newOrders: true,
      orderUpdates: true,
      payments: true,
      shipping: false,
      messages: true,
      userNotifications: true,
      systemHigh: true,
    },
    doNotDisturb: { on: false, schedule: { startMinute: 22 * 60 + 30, endMinute: 6 * 60 + 45 }, includeMoney: false },
    mutedConversations: ["conv-7", "conv-9"],
    pausedUntil: null,
  };
}

export function desktopPreferences(): DesktopPreferences {
  return {
    closeToTray: true,
    startAtLogin: false,
    showTyping: true,
    showReadReceipts: true,
    loadPreviewsAutomatically: true,
    textZoom: 125,
  };
}

export function cacheStats(): CacheStats {
  return {
    kinds: [
      { kind: "messages", rows: 1200, bytes: 400_000 },
      { kind: "orderEvents", rows: 30, bytes: 9_000 },
      { kind: "searchIndex", rows: 1200, bytes: 100_000 },
      { kind: "listings", rows: 0, bytes: 0 },
    ],
    totalRows: 2430,
    totalBytes: 509_000,
    fileBytes: 3 * 1024 * 1024,
    bytesSource: "dbstat",
  };
}

export function clearReport(): ClearReport {
  return {
    rowsRemoved: 2430,
    outboxCleared: false,
    fileBytesBefore: 3 * 1024 * 1024,
    fileBytesAfter: 40 * 1024,
    attachmentFilesRemoved: 1,
    attachmentBytesRemoved: 2048,
  };
}

/** A promise settled by the test, for a save caught in the middle. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
