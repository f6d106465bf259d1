import { describe, expect, it } from "vitest";
import { cacheSize, clearedNote } from "./cacheSummary";
import { cacheStats, clearReport } from "./fixtures.test-util";

describe("cache figures", () => {
  it("counts the rows by kind, leaving out the search index and empty kinds", () => {
    expect(cacheSize(cacheStats())).toBe("3.0 MB on disk · 1,200 messages, 30 order events");
  });

  it("counts the attachment files in the cache size", () => {
    const stats = {
      kinds: [
        { kind: "messages", rows: 2, bytes: 1_000 },
        { kind: "attachments", rows: 3, bytes: 2 * 1024 * 1024 },
      ],
      totalRows: 5,
      totalBytes: 2 * 1024 * 1024 + 1_000,
      fileBytes: 1024 * 1024,
      bytesSource: "dbstat",
    };
    expect(cacheSize(stats)).toBe("3.0 MB on disk · 2 messages, 3 attachment files");
  });

  it("names one of a kind in the singular", () => {
    const stats = {
      kinds: [
        { kind: "conversations", rows: 1, bytes: 100 },
        { kind: "presence", rows: 1, bytes: 100 },
        { kind: "attachments", rows: 1, bytes: 1024 },
      ],
      totalRows: 3,
      totalBytes: 1224,
      fileBytes: 4096,
      bytesSource: "dbstat",
    };
    expect(cacheSize(stats)).toBe("5.0 KB on disk · 1 conversation, 1 buyer status, 1 attachment file");
  });

  it("says empty for a cache with no rows, and names a kind it does not know by its key", () => {
    const empty = { kinds: [{ kind: "messages", rows: 0, bytes: 0 }], totalRows: 0, totalBytes: 0, fileBytes: 8192, bytesSource: "dbstat" };
    expect(cacheSize(empty)).toBe("8.0 KB on disk · empty");
    const unknown = { kinds: [{ kind: "drafts", rows: 4, bytes: 10 }], totalRows: 4, totalBytes: 10, fileBytes: 8192, bytesSource: "dbstat" };
    expect(cacheSize(unknown)).toBe("8.0 KB on disk · 4 drafts");
  });

  it("says what a clearing removed", () => {
    expect(clearedNote(clearReport())).toBe("Cleared: 2,430 rows removed, 3.0 MB → 40.0 KB on disk; 1 attachment file (2.0 KB) removed.");
    expect(clearedNote({ ...clearReport(), attachmentFilesRemoved: 0, attachmentBytesRemoved: 0 })).toBe(
      "Cleared: 2,430 rows removed, 3.0 MB → 40.0 KB on disk; 0 attachment files (0 B) removed.",
    );
  });
});
