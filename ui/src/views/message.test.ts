import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { AttachmentView } from "../bindings/AttachmentView";
import type { MessageView } from "../bindings/MessageView";
import { humanBytes } from "../format";
import { PREVIEW_CACHE_SIZE, attachmentName, cachedPreview, clearPreviewCache, previewCache } from "./attachments";
import { confirmOpenLink, linkHref, linkify } from "./links";
import { type MessageActions, messageElement } from "./message";
import { message } from "../fixtures.test-util";

const PNG = "data:image/png;base64,iVBORw0KGgo=";


type Calls = { preview: string[]; save: [string, string, boolean][]; openLink: string[]; messages: string[] };

function fakeActions(overrides: Partial<MessageActions> = {}): { actions: MessageActions; calls: Calls } {
  const calls: Calls = { preview: [], save: [], openLink: [], messages: [] };
  const actions: MessageActions = {
    preview: async (messageId, url) => {
      calls.preview.push(url);
      calls.messages.push(messageId);
      return PNG;
    },
    save: async (messageId, url, name, confirmed = false) => {
      calls.save.push([url, name, confirmed]);
      calls.messages.push(messageId);
      return `/home/seller/Downloads/${name}`;
    },
    openLink: async (url) => {
      calls.openLink.push(url);
    },
    ...overrides,
  };
  return { actions, calls };
}

/** A row in the document (dialogs and focus need one). */
function row(m: MessageView, actions?: MessageActions): HTMLElement {
  const element = messageElement(m, { selfId: "seller-1", onRetry: null, foundId: null, actions });
  document.body.append(element);
  return element;
}

/** Lets pending promises and microtasks run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}

function dialog(): HTMLElement | null {
  return document.querySelector<HTMLElement>("[role=dialog]");
}

function button(root: ParentNode, text: string): HTMLButtonElement {
  const found = Array.from(root.querySelectorAll("button")).find((b) => b.textContent === text);
  if (!found) throw new Error(`no ${text} button`);
  return found;
}

const image: AttachmentView = {
  type: "image",
  url: "http://127.0.0.1:9/uploads/u1/photo.png",
  name: "photo.png",
  size: 300_000,
  displayName: "photo.png",
};
const file: AttachmentView = {
  type: "file",
  url: "http://127.0.0.1:9/uploads/u2/invoice.pdf",
  name: "invoice.pdf",
  size: 120_000,
  displayName: "invoice.pdf",
};

beforeEach(() => {
  clearPreviewCache();
});

afterEach(() => {
  document.body.replaceChildren();
});

describe("message text", () => {
  it("renders markup from the server as text, never as elements", () => {
    const { actions } = fakeActions();
    const hostile = `<img src=x onerror=alert(1)> <script>alert(2)</script> <a href="javascript:alert(3)">x</a>`;
    const element = row(message({ content: hostile, sender: { id: "b1", name: "<b>Mallory</b>", avatar: "" } }), actions);
    expect(element.querySelector("img, script, a, b")).toBeNull();
    expect(element.querySelector(".content")?.textContent).toBe(hostile);
    expect(element.querySelector(".sender")?.textContent).toBe("<b>Mallory</b>");
    expect(element.querySelector(".message-link")).toBeNull();
  });

  it("finds http(s), mailto and www links and leaves the punctuation after them", () => {
    expect(linkify("see https://example.com/a?b=1#c.")).toEqual([
      { text: "see ", href: null },
      { text: "https://example.com/a?b=1#c", href: "https://example.com/a?b=1#c" },
      { text: ".", href: null },
    ]);
    expect(linkify("(at www.example.com/shop), thanks!")).toEqual([
      { text: "(at ", href: null },
      { text: "www.example.com/shop", href: "https://www.example.com/shop" },
      { text: "), thanks!", href: null },
    ]);
    expect(linkify("wiki https://en.wikipedia.org/wiki/Foo_(bar) ok")[1]).toEqual({
      text: "https://en.wikipedia.org/wiki/Foo_(bar)",
      href: "https://en.wikipedia.org/wiki/Foo_(bar)",
    });
    expect(linkify("Mail mailto:buyer@example.com, or HTTP://EXAMPLE.com!")).toEqual([
      { text: "Mail ", href: null },
      { text: "mailto:buyer@example.com", href: "mailto:buyer@example.com" },
      { text: ", or ", href: null },
      { text: "HTTP://EXAMPLE.com", href: "http://example.com/" },
      { text: "!", href: null },
    ]);
    expect(linkify('"https://a.example/x" and https://b.example/y?')).toEqual([
      { text: '"', href: null },
      { text: "https://a.example/x", href: "https://a.example/x" },
      { text: '" and ', href: null },
      { text: "https://b.example/y", href: "https://b.example/y" },
      { text: "?", href: null },
    ]);
    // Not links: the scheme alone, words that contain www., e-mail addresses, other schemes.
    for (const text of ["http:// nothing", "awww.example.com", "me@www.example.com", "x.www.example.com", "ftp://example.com", "buyer@example.com"]) {
      expect(linkify(text).every((part) => part.href === null), text).toBe(true);
      expect(
        linkify(text)
          .map((p) => p.text)
          .join(""),
      ).toBe(text);
    }
    expect(linkify("")).toEqual([]);
  });

  it("never makes javascript:, data:, file: or app links", () => {
    for (const text of [
      "javascript:alert(1)",
      "JaVaScRiPt:alert(document.cookie)",
      "data:text/html,<script>alert(1)</script>",
      "file:///etc/passwd",
      "sellerdesk://order/1",
      "vbscript:msgbox(1)",
    ]) {
      expect(linkify(text), text).toEqual([{ text, href: null }]);
      expect(linkHref(text), text).toBeNull();
    }
    // A web address inside a javascript: string is only that web address.
    const parts = linkify("javascript:alert('http://x.example')");
    expect(parts.filter((p) => p.href !== null)).toEqual([{ text: "http://x.example", href: "http://x.example/" }]);
    expect(parts.map((p) => p.text).join("")).toBe("javascript:alert('http://x.example')");
  });

  it("shows links as plain text when the row has no actions", () => {
    const element = row(message({ content: "see https://example.com" }));
    expect(element.querySelector(".message-link")).toBeNull();
    expect(element.querySelector(".content")?.textContent).toBe("see https://example.com");
  });
});

describe("opening a link", () => {
  it("asks first: Cancel (or Escape) opens nothing, Open does", async () => {
    const { actions, calls } = fakeActions();
    const element = row(message({ content: "tracking: https://track.example/ABC123." }), actions);
    const link = element.querySelector<HTMLButtonElement>(".message-link");
    expect(link?.textContent).toBe("https://track.example/ABC123");

    link?.click();
    const first = dialog();
    expect(first?.getAttribute("aria-modal")).toBe("true");
    expect(first?.textContent).toContain("Open this link in your browser?");
    expect(first?.querySelector(".link-dialog-url")?.textContent).toBe("https://track.example/ABC123");
    expect(document.activeElement?.textContent).toBe("Cancel");
    button(first as HTMLElement, "Cancel").click();
    await settle();
    expect(dialog()).toBeNull();
    expect(calls.openLink).toEqual([]);
    expect(document.activeElement).toBe(link);

    link?.click();
    document.activeElement?.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    await settle();
    expect(dialog()).toBeNull();
    expect(calls.openLink).toEqual([]);

    link?.click();
    button(dialog() as HTMLElement, "Open").click();
    await settle();
    expect(dialog()).toBeNull();
    expect(calls.openLink).toEqual(["https://track.example/ABC123"]);
  });

  it("keeps keys inside the dialog and says when the link could not open", async () => {
    const { actions } = fakeActions({
      openLink: async () => {
        throw new Error("only http, https and mailto links can be opened");
      },
    });
    const element = row(message({ content: "www.example.com" }), actions);
    const outside = vi.fn();
    document.addEventListener("keydown", outside);
    element.querySelector<HTMLButtonElement>(".message-link")?.click();
    const open = button(dialog() as HTMLElement, "Open");
    document.activeElement?.dispatchEvent(new KeyboardEvent("keydown", { key: "Tab", bubbles: true }));
    expect(document.activeElement).toBe(open);
    document.activeElement?.dispatchEvent(new KeyboardEvent("keydown", { key: "k", ctrlKey: true, bubbles: true }));
    expect(outside).not.toHaveBeenCalled();
    document.removeEventListener("keydown", outside);
    open.click();
    await settle();
    expect(element.querySelector("[role=alert]")?.textContent).toBe(
      "Could not open the link: only http, https and mailto links can be opened",
    );
  });

  it("a second dialog replaces the first, which answers no", async () => {
    const first = confirmOpenLink("https://a.example/");
    const second = confirmOpenLink("https://b.example/");
    expect(await first).toBe(false);
    expect(document.querySelectorAll("[role=dialog]")).toHaveLength(1);
    button(dialog() as HTMLElement, "Open").click();
    expect(await second).toBe(true);
  });
});

describe("attachments", () => {
  it("shows a fixed-size placeholder, then the preview image", async () => {
    let resolve: (data: string) => void = () => {};
    const { actions, calls } = fakeActions({
      preview: (_messageId, url) => {
        calls.preview.push(url);
        return new Promise((r) => (resolve = r));
      },
    });
    const element = row(message({ attachments: [image] }), actions);
    const frame = element.querySelector<HTMLElement>(".attachment-preview");
    expect(frame?.classList.contains("loading")).toBe(true);
    expect(frame?.getAttribute("aria-label")).toBe("Loading preview of photo.png");
    expect(element.querySelector("img")).toBeNull();
    await settle();
    expect(calls.preview).toEqual([image.url]);
    resolve(PNG);
    await settle();
    const img = element.querySelector("img");
    expect(img?.getAttribute("src")).toBe(PNG);
    expect(img?.getAttribute("alt")).toBe("photo.png");
    expect(frame?.classList.contains("loading")).toBe(false);
    expect(element.querySelector(".attachment-size")?.textContent).toBe(humanBytes(300_000));
  });

  it("fetches a preview once however often the row is rebuilt", async () => {
    const { actions, calls } = fakeActions();
    row(message({ attachments: [image] }), actions);
    await settle();
    const again = row(message({ attachments: [image] }), actions);
    await settle();
    expect(calls.preview).toEqual([image.url]);
    expect(again.querySelector("img")?.getAttribute("src")).toBe(PNG);
    expect(previewCache.has(image.url)).toBe(true);
  });

  it("shows why a preview failed, as text, and retries on request", async () => {
    let fail = true;
    const { actions, calls } = fakeActions({
      preview: async (_messageId, url) => {
        calls.preview.push(url);
        if (fail) throw new Error("cannot preview this attachment: <b>not an image</b>");
        return PNG;
      },
    });
    const element = row(message({ attachments: [image] }), actions);
    await settle();
    const frame = element.querySelector<HTMLElement>(".attachment-preview");
    expect(frame?.classList.contains("failed")).toBe(true);
    expect(frame?.textContent).toContain("photo.png");
    expect(frame?.textContent).toContain("cannot preview this attachment: <b>not an image</b>");
    expect(element.querySelector("img, b")).toBeNull();
    fail = false;
    button(frame as HTMLElement, "Retry").click();
    await settle();
    expect(calls.preview).toHaveLength(2);
    expect(element.querySelector("img")?.getAttribute("src")).toBe(PNG);
  });

  it("never puts anything but an image data: URL into an img", async () => {
    const { actions } = fakeActions({ preview: async () => "https://evil.example/track.png" });
    const element = row(message({ attachments: [image] }), actions);
    await settle();
    expect(element.querySelector("img")).toBeNull();
    expect(element.querySelector(".attachment-preview")?.textContent).toContain("not an image preview");
    await expect(cachedPreview("m1", "x", fakeActions({ preview: async () => "data:image/svg+xml;base64,PHN2Zz4=" }).actions)).rejects.toThrow();
  });

  it("keeps only the newest previews", async () => {
    const { actions } = fakeActions();
    for (let i = 0; i <= PREVIEW_CACHE_SIZE; i++) await cachedPreview("m1", `https://cdn.example/${i}.png`, actions);
    expect(previewCache.size).toBe(PREVIEW_CACHE_SIZE);
    expect(previewCache.has("https://cdn.example/0.png")).toBe(false);
  });

  it("files show name and size; Download saves and says where", async () => {
    const { actions, calls } = fakeActions();
    const element = row(message({ attachments: [file] }), actions);
    expect(element.querySelector(".attachment-preview")).toBeNull();
    expect(element.querySelector(".attachment-name")?.textContent).toBe("invoice.pdf");
    expect(element.querySelector(".attachment-size")?.textContent).toBe(humanBytes(120_000));
    const download = element.querySelector<HTMLButtonElement>(".attachment-download");
    expect(download?.getAttribute("aria-label")).toBe("Download invoice.pdf");
    download?.click();
    expect(element.querySelector("[role=status]")?.textContent).toBe("Saving…");
    await settle();
    expect(calls.save).toEqual([[file.url, "invoice.pdf", false]]);
    expect(calls.messages).toEqual(["m1"]); // the app is told whose attachment it is
    expect(element.querySelector("[role=status]")?.textContent).toBe("Saved to /home/seller/Downloads/invoice.pdf");
    expect(download?.disabled).toBe(false);
    expect(calls.preview).toEqual([]);
  });

  it("says why a download failed", async () => {
    const { actions } = fakeActions({
      save: async () => {
        throw { code: "ATTACHMENT_TOO_LARGE", message: "the attachment is larger than 50 MB" };
      },
    });
    const element = row(message({ attachments: [file] }), actions);
    element.querySelector<HTMLButtonElement>(".attachment-download")?.click();
    await settle();
    expect(element.querySelector("[role=status]")?.textContent).toBe(
      "Could not save invoice.pdf: the attachment is larger than 50 MB",
    );
  });

  it("never fetches anything without actions, and names nameless attachments by their URL", async () => {
    const nameless = { type: "file", url: "https://cdn.example/u/Return%20label.pdf", displayName: "Return label.pdf" } as const;
    const element = row(message({ attachments: [image, nameless] }));
    await settle();
    expect(element.querySelector(".attachment-preview, button")).toBeNull();
    const names = Array.from(element.querySelectorAll(".attachment-name")).map((n) => n.textContent);
    expect(names).toEqual(["photo.png", "Return label.pdf"]);
    expect(attachmentName({ type: "file", url: "not a url" })).toBe("attachment");
    expect(attachmentName({ type: "file", url: "https://cdn.example/u/%E0%A4%A", name: "  " })).toBe("attachment");
  });
});
