import { cleanup, render } from "@solidjs/testing-library";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { AttachmentView } from "../../bindings/AttachmentView";
import type { MessageView } from "../../bindings/MessageView";
import { button, flush, installDialogPolyfill, openDialog } from "../../components/dialog.test-util";
import { dismissConfirmDialog } from "../../components/ConfirmDialog";
import { message } from "../../fixtures.test-util";
import { humanBytes } from "../../format";
import { PNG, file, image, imageNumber, recordingActions } from "./actions.test-util";
import { Attachment } from "./Attachment";
import { attachmentName } from "./attachmentName";
import type { MessageActions, MessageContext } from "./context";
import { MessageRow } from "./MessageRow";
import { MAX_AUTO_PREVIEWS, clearPreviewCache, previewCache } from "./previews";

const THUMB = "data:image/jpeg;base64,/9j/4AAQ";

/** A message row in the document (dialogs and focus need one). */
function row(m: MessageView, actions?: MessageActions, context: Partial<MessageContext> = {}): HTMLElement {
  const { container } = render(() => (
    <MessageRow message={m} context={{ selfId: "seller-1", onRetry: null, foundId: null, actions, ...context }} />
  ));
  return container.firstElementChild as HTMLElement;
}

/** A promise and the function that resolves it. */
function held<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve: (value: T) => void = () => {};
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

beforeAll(() => installDialogPolyfill());

beforeEach(() => clearPreviewCache());

afterEach(() => {
  dismissConfirmDialog();
  cleanup();
  document.body.replaceChildren();
});

describe("image previews", () => {
  it("shows a fixed-size placeholder, then the preview image", async () => {
    const pending = held<string>();
    const { actions, calls } = recordingActions({
      preview: (_messageId, url) => {
        calls.preview.push(url);
        return pending.promise;
      },
    });
    const element = row(message({ attachments: [image] }), actions);
    const frame = element.querySelector<HTMLElement>(".attachment-preview");
    expect(frame?.className).toBe("attachment-preview loading");
    expect(frame?.getAttribute("role")).toBe("img");
    expect(frame?.getAttribute("aria-label")).toBe("Loading preview of photo.png");
    expect(element.querySelector("img")).toBeNull();
    await flush();
    expect(calls.preview).toEqual([image.url]);
    pending.resolve(PNG);
    await flush();
    const img = element.querySelector("img");
    expect(img?.getAttribute("src")).toBe(PNG);
    expect(img?.getAttribute("alt")).toBe("photo.png");
    expect(img?.getAttribute("draggable")).toBe("false");
    // The same frame, now without its loading state.
    expect(element.querySelector(".attachment-preview")).toBe(frame);
    expect(frame?.className).toBe("attachment-preview");
    expect(frame?.hasAttribute("role")).toBe(false);
    expect(frame?.hasAttribute("aria-label")).toBe(false);
    expect(element.querySelector(".attachment-size")?.textContent).toBe(humanBytes(300_000));
  });

  it("fetches a preview once however often the row is made again", async () => {
    const { actions, calls } = recordingActions();
    row(message({ attachments: [image] }), actions);
    await flush();
    cleanup();
    const again = row(message({ attachments: [image] }), actions);
    await flush();
    expect(calls.preview).toEqual([image.url]);
    expect(calls.messages).toEqual(["m1"]);
    expect(again.querySelector("img")?.getAttribute("src")).toBe(PNG);
    expect(previewCache.has(image.url)).toBe(true);
  });

  it("shows why a preview failed, as text, and retries on request", async () => {
    let fail = true;
    const { actions, calls } = recordingActions({
      preview: async (_messageId, url) => {
        calls.preview.push(url);
        if (fail) throw new Error("cannot preview this attachment: <b>not an image</b>");
        return PNG;
      },
    });
    const element = row(message({ attachments: [image] }), actions);
    await flush();
    const frame = element.querySelector<HTMLElement>(".attachment-preview");
    expect(frame?.className).toBe("attachment-preview failed");
    expect(frame?.querySelector(".preview-error .attachment-name")?.textContent).toBe("photo.png");
    expect(frame?.textContent).toContain("cannot preview this attachment: <b>not an image</b>");
    expect(element.querySelector("img, b")).toBeNull();
    const retry = button(frame as HTMLElement, "Retry");
    expect(retry.getAttribute("aria-label")).toBe("Retry the preview of photo.png");
    fail = false;
    retry.click();
    await flush();
    expect(calls.preview).toHaveLength(2);
    expect(element.querySelector("img")?.getAttribute("src")).toBe(PNG);
  });

  it("never puts anything but an image data: URL into an img", async () => {
    for (const answer of ["https://evil.example/track.png", "data:image/svg+xml;base64,PHN2Zz4=", "javascript:alert(1)"]) {
      clearPreviewCache();
      const { actions } = recordingActions({ preview: async () => answer });
      const element = row(message({ attachments: [image] }), actions);
      await flush();
      expect(element.querySelector("img"), answer).toBeNull();
      expect(element.querySelector(".attachment-preview")?.textContent).toContain("not an image preview");
      cleanup();
    }
  });

  it("with automatic previews off, nothing is fetched until the seller clicks", async () => {
    const { actions, calls } = recordingActions({
      preview: async (_id, url) => {
        calls.preview.push(url);
        return THUMB;
      },
    });
    const element = row(message({ attachments: [imageNumber(1)] }), actions, { loadPreviews: false });
    await flush();
    expect(calls.preview).toEqual([]);
    expect(element.querySelector("img")).toBeNull();
    const frame = element.querySelector(".attachment-preview");
    expect(frame?.className).toBe("attachment-preview click-to-load");
    expect(frame?.querySelector(".attachment-name")?.textContent).toBe("1.png");
    const load = element.querySelector<HTMLButtonElement>(".load-preview");
    expect(load?.getAttribute("aria-label")).toBe("Load preview of 1.png");
    expect(load?.textContent).toBe("Load preview");
    load?.click();
    await flush();
    expect(calls.preview).toEqual([imageNumber(1).url]);
    expect(element.querySelector("img")?.getAttribute("src")).toBe(THUMB);
    // Once loaded this session, a row made again shows it without another click or fetch.
    const again = row(message({ attachments: [imageNumber(1)] }), actions, { loadPreviews: false });
    await flush();
    expect(again.querySelector("img")?.getAttribute("src")).toBe(THUMB);
    expect(calls.preview).toHaveLength(1);
  });

  it("loads at most MAX_AUTO_PREVIEWS of one message by itself; the rest on a click", async () => {
    const { actions, calls } = recordingActions();
    const many = Array.from({ length: MAX_AUTO_PREVIEWS + 4 }, (_, i) => imageNumber(i));
    const element = row(message({ attachments: many }), actions);
    await flush();
    expect(calls.preview).toEqual(many.slice(0, MAX_AUTO_PREVIEWS).map((a) => a.url));
    const buttons = element.querySelectorAll<HTMLButtonElement>(".load-preview");
    expect(buttons).toHaveLength(4);
    expect(buttons[0]?.getAttribute("aria-label")).toBe(`Load preview of ${MAX_AUTO_PREVIEWS}.png`);
    buttons[0]?.click();
    await flush();
    expect(calls.preview).toHaveLength(MAX_AUTO_PREVIEWS + 1);
    expect(element.querySelector("ul.attachments")?.getAttribute("aria-label")).toBe(`${many.length} attachments`);
  });

  it("a row gone before its preview arrived shows nothing and breaks nothing", async () => {
    const pending = held<string>();
    const { actions } = recordingActions({ preview: () => pending.promise });
    row(message({ attachments: [image] }), actions);
    await flush();
    cleanup();
    pending.resolve(PNG);
    await flush();
    expect(document.querySelector("img")).toBeNull();
    // The preview is kept for the next row that shows it.
    const again = row(message({ attachments: [image] }), actions);
    await flush();
    expect(again.querySelector("img")?.getAttribute("src")).toBe(PNG);
  });
});

describe("names", () => {
  it("shows the name the app made safe, bidi-isolated, as text", () => {
    const hostile: AttachmentView = {
      type: "file",
      url: "https://cdn.example/u/x",
      name: "<img src=x onerror=alert(1)>\u202Efdp.exe",
      displayName: "<img src=x onerror=alert(1)>fdp.exe",
    };
    const element = row(message({ attachments: [hostile] }), recordingActions().actions);
    const name = element.querySelector(".attachment-name");
    expect(name?.tagName).toBe("BDI");
    expect(name?.getAttribute("dir")).toBe("auto");
    expect(name?.getAttribute("title")).toBe("<img src=x onerror=alert(1)>fdp.exe");
    expect(name?.textContent).toBe("<img src=x onerror=alert(1)>fdp.exe");
    expect(element.querySelector("img")).toBeNull();
    expect(element.textContent).not.toContain("\u202E");
    expect(element.querySelector("ul.attachments")?.getAttribute("aria-label")).toBe("Attachment");
  });

  it("never fetches anything without actions, and names nameless attachments by their URL", async () => {
    const nameless = { type: "file", url: "https://cdn.example/u/Return%20label.pdf", displayName: "" } as const;
    const element = row(message({ attachments: [image, nameless] }));
    await flush();
    expect(element.querySelector(".attachment-preview, button")).toBeNull();
    const names = Array.from(element.querySelectorAll(".attachment-name")).map((n) => n.textContent);
    expect(names).toEqual(["photo.png", "Return label.pdf"]);
    expect(attachmentName({ type: "file", url: "not a url" })).toBe("attachment");
    expect(attachmentName({ type: "file", url: "https://cdn.example/u/%E0%A4%A", name: "  " })).toBe("attachment");
    expect(attachmentName({ type: "file", url: "https://cdn.example/u/x", name: " own.pdf " })).toBe("own.pdf");
  });
});

describe("downloads", () => {
  it("files show name and size; Download saves and says where", async () => {
    const { actions, calls } = recordingActions();
    const element = row(message({ attachments: [file] }), actions);
    expect(element.querySelector(".attachment.file")).not.toBeNull();
    expect(element.querySelector(".attachment-preview")).toBeNull();
    expect(element.querySelector(".attachment-name")?.textContent).toBe("invoice.pdf");
    expect(element.querySelector(".attachment-size")?.textContent).toBe(humanBytes(120_000));
    const download = element.querySelector<HTMLButtonElement>(".attachment-download");
    expect(download?.getAttribute("aria-label")).toBe("Download invoice.pdf");
    download?.click();
    expect(element.querySelector("[role=status]")?.textContent).toBe("Saving…");
    await flush();
    expect(calls.save).toEqual([[file.url, "invoice.pdf", false]]);
    expect(calls.messages).toEqual(["m1"]); // the app is told whose attachment it is
    expect(element.querySelector("[role=status]")?.textContent).toBe("Saved to /home/seller/Downloads/invoice.pdf");
    expect(download?.disabled).toBe(false);
    expect(calls.preview).toEqual([]);
  });

  it("the button waits while a save runs", async () => {
    const pending = held<string>();
    const { actions } = recordingActions({ save: () => pending.promise });
    const element = row(message({ attachments: [file] }), actions);
    const download = element.querySelector<HTMLButtonElement>(".attachment-download");
    download?.click();
    expect(download?.disabled).toBe(true);
    pending.resolve("/home/seller/Downloads/invoice.pdf");
    await flush();
    expect(download?.disabled).toBe(false);
  });

  it("says why a download failed, as text", async () => {
    const { actions } = recordingActions({
      save: async () => {
        throw { code: "ATTACHMENT_TOO_LARGE", message: "the attachment is larger than 50 MB <b>x</b>" };
      },
    });
    const element = row(message({ attachments: [file] }), actions);
    element.querySelector<HTMLButtonElement>(".attachment-download")?.click();
    await flush();
    expect(element.querySelector("[role=status]")?.textContent).toBe(
      "Could not save invoice.pdf: the attachment is larger than 50 MB <b>x</b>",
    );
    expect(element.querySelector("b")).toBeNull();
  });

  it("a file that can run programs needs a second confirmation before it is saved", async () => {
    const { actions, calls } = recordingActions();
    const exe: AttachmentView = { type: "file", url: "https://cdn.example/u/setup.exe", displayName: "setup.exe" };
    const element = row(message({ attachments: [exe] }), actions);
    const download = element.querySelector<HTMLButtonElement>(".attachment-download") as HTMLButtonElement;
    download.focus();
    download.click();
    await flush();
    const dialog = openDialog();
    expect(dialog?.textContent).toContain("Save a file that can run programs?");
    expect(dialog?.querySelector("bdi")?.textContent).toBe("setup.exe");
    expect(dialog?.querySelector("bdi")?.getAttribute("dir")).toBe("auto");
    expect(document.activeElement?.textContent).toBe("Cancel");
    expect(element.querySelector("[role=status]")?.textContent).toBe("");
    button(dialog as HTMLElement, "Cancel").click();
    await flush();
    expect(calls.save).toEqual([[exe.url, "setup.exe", false]]);
    expect(element.querySelector("[role=status]")?.textContent).toBe("Not saved");
    // Back on the Download button, which is usable again.
    expect(document.activeElement).toBe(download);
    expect(download.disabled).toBe(false);

    download.click();
    await flush();
    button(openDialog() as HTMLElement, "Save anyway").click();
    await flush();
    expect(calls.save).toEqual([
      [exe.url, "setup.exe", false],
      [exe.url, "setup.exe", false],
      [exe.url, "setup.exe", true],
    ]);
    expect(element.querySelector("[role=status]")?.textContent).toBe("Saved to /home/seller/Downloads/setup.exe");
    expect(openDialog()).toBeNull();
  });

  it("other files save at once", async () => {
    const { actions, calls } = recordingActions();
    const pdf: AttachmentView = { type: "file", url: "https://cdn.example/u/a.pdf", displayName: "a.pdf" };
    row(message({ attachments: [pdf] }), actions);
    document.querySelector<HTMLButtonElement>(".attachment-download")?.click();
    await flush();
    expect(openDialog()).toBeNull();
    expect(calls.save).toEqual([[pdf.url, "a.pdf", false]]);
  });

  it("images can be downloaded too", async () => {
    const { actions, calls } = recordingActions();
    const { container } = render(() => <Attachment messageId="m7" attachment={image} actions={actions} autoLoad={false} index={0} />);
    expect(container.querySelector("li.attachment.image")).not.toBeNull();
    container.querySelector<HTMLButtonElement>(".attachment-download")?.click();
    await flush();
    expect(calls.save).toEqual([[image.url, "photo.png", false]]);
    expect(calls.messages).toEqual(["m7"]);
  });
});
