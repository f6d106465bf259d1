import { beforeEach, describe, expect, it } from "vitest";
import { PNG, recordingActions } from "./actions.test-util";
import { PREVIEW_CACHE_CHARS, PREVIEW_CACHE_SIZE, cachedPreview, clearPreviewCache, forgetPreview, hasPreview, previewCache } from "./previews";

beforeEach(() => clearPreviewCache());

describe("the preview cache", () => {
  it("keeps only the newest previews", async () => {
    const { actions } = recordingActions();
    for (let i = 0; i <= PREVIEW_CACHE_SIZE; i++) await cachedPreview("m1", `https://cdn.example/${i}.png`, actions);
    expect(previewCache.size).toBe(PREVIEW_CACHE_SIZE);
    expect(hasPreview("https://cdn.example/0.png")).toBe(false);
    expect(hasPreview(`https://cdn.example/${PREVIEW_CACHE_SIZE}.png`)).toBe(true);
  });

  it("a preview asked for again is the most recent, and is not fetched again", async () => {
    const { actions, calls } = recordingActions();
    await cachedPreview("m1", "https://cdn.example/first.png", actions);
    for (let i = 1; i < PREVIEW_CACHE_SIZE; i++) await cachedPreview("m1", `https://cdn.example/${i}.png`, actions);
    expect(await cachedPreview("m1", "https://cdn.example/first.png", actions)).toBe(PNG);
    await cachedPreview("m1", "https://cdn.example/one-more.png", actions);
    expect(hasPreview("https://cdn.example/first.png")).toBe(true);
    expect(hasPreview("https://cdn.example/1.png")).toBe(false);
    expect(calls.preview.filter((url) => url === "https://cdn.example/first.png")).toHaveLength(1);
  });

  it("keeps no more than PREVIEW_CACHE_CHARS of data URLs, however few previews", async () => {
    const big = `data:image/jpeg;base64,${"A".repeat(PREVIEW_CACHE_CHARS / 3)}`;
    const { actions } = recordingActions({ preview: async () => big });
    for (let i = 0; i < 4; i++) await cachedPreview("m1", `https://cdn.example/big${i}.jpg`, actions);
    expect(previewCache.size).toBe(2);
    expect(hasPreview("https://cdn.example/big0.jpg")).toBe(false);
    expect(hasPreview("https://cdn.example/big3.jpg")).toBe(true);
  });

  it("only takes raster images as data: URLs", async () => {
    for (const answer of ["data:image/svg+xml;base64,PHN2Zz4=", "https://evil.example/track.png", "data:text/html;base64,PGI+", "DATA:image/png;base64,x"]) {
      const { actions } = recordingActions({ preview: async () => answer });
      await expect(cachedPreview("m1", `https://cdn.example/${answer}`, actions), answer).rejects.toThrow("not an image preview");
    }
    for (const answer of [PNG, "data:image/jpeg;base64,/9j/", "data:image/gif;base64,R0lG", "data:image/webp;base64,UklG"]) {
      const { actions } = recordingActions({ preview: async () => answer });
      expect(await cachedPreview("m1", `https://cdn.example/${answer}`, actions)).toBe(answer);
    }
  });

  it("a failure is kept until forgotten (a retry fetches again)", async () => {
    let fail = true;
    const { actions, calls } = recordingActions({
      preview: async (_id, url) => {
        calls.preview.push(url);
        if (fail) throw new Error("down");
        return PNG;
      },
    });
    const url = "https://cdn.example/x.png";
    await expect(cachedPreview("m1", url, actions)).rejects.toThrow("down");
    fail = false;
    await expect(cachedPreview("m1", url, actions)).rejects.toThrow("down");
    forgetPreview(url);
    expect(await cachedPreview("m1", url, actions)).toBe(PNG);
    expect(calls.preview).toEqual([url, url]);
  });

  it("forgets everything on sign-out", async () => {
    const { actions } = recordingActions();
    await cachedPreview("m1", "https://cdn.example/a.png", actions);
    clearPreviewCache();
    expect(previewCache.size).toBe(0);
    expect(hasPreview("https://cdn.example/a.png")).toBe(false);
  });
});
