import { afterEach, describe, expect, it } from "vitest";
import type { AttachmentView } from "../bindings/AttachmentView";
import { CommandError } from "../api";
import { MAX_AUTO_PREVIEWS, clearPreviewCache } from "./attachments";
import { type MessageActions, messageElement } from "./message";
import { message } from "../fixtures.test-util";

const THUMB = "data:image/jpeg;base64,/9j/4AAQ";

function image(i: number): AttachmentView {
  return { type: "image", url: `https://cdn.example/u/${i}.png`, name: `${i}.png`, displayName: `${i}.png` };
}

type Saves = [string, string, boolean][];

function actions(saves: Saves = [], previews: string[] = []): MessageActions {
  return {
    preview: async (_id, url) => {
      previews.push(url);
      return THUMB;
    },
    save: async (_id, url, name, confirmed = false) => {
      saves.push([url, name, confirmed]);
      if (name.endsWith(".exe") && !confirmed) {
        throw new CommandError("ATTACHMENT_NEEDS_CONFIRMATION", `${name} can run programs when opened: confirm to save it`);
      }
      return `/home/seller/Downloads/${name}`;
    },
    openLink: async () => {},
  };
}

function row(attachments: AttachmentView[], acts: MessageActions, loadPreviews = true): HTMLElement {
  const element = messageElement(message({ attachments }), { selfId: "s", onRetry: null, foundId: null, actions: acts, loadPreviews });
  document.body.append(element);
  return element;
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}

function button(root: ParentNode, text: string): HTMLButtonElement {
  const found = Array.from(root.querySelectorAll("button")).find((b) => b.textContent === text);
  if (!found) throw new Error(`no ${text} button`);
  return found;
}

afterEach(() => {
  document.body.replaceChildren();
  clearPreviewCache();
});

describe("previews", () => {
  it("with automatic previews off, nothing is fetched until the seller clicks", async () => {
    const previews: string[] = [];
    const element = row([image(1)], actions([], previews), false);
    await settle();
    expect(previews).toEqual([]);
    expect(element.querySelector("img")).toBeNull();
    const load = element.querySelector<HTMLButtonElement>(".load-preview");
    expect(load?.getAttribute("aria-label")).toBe("Load preview of 1.png");
    load?.click();
    await settle();
    expect(previews).toEqual([image(1).url]);
    expect(element.querySelector("img")?.getAttribute("src")).toBe(THUMB);
    // Once loaded this session, a rebuilt row shows it without another click or fetch.
    const again = row([image(1)], actions([], previews), false);
    await settle();
    expect(again.querySelector("img")?.getAttribute("src")).toBe(THUMB);
    expect(previews).toHaveLength(1);
  });

  it("loads at most MAX_AUTO_PREVIEWS of one message by itself; the rest on a click", async () => {
    const previews: string[] = [];
    const many = Array.from({ length: MAX_AUTO_PREVIEWS + 4 }, (_, i) => image(i));
    const element = row(many, actions([], previews));
    await settle();
    expect(previews).toEqual(many.slice(0, MAX_AUTO_PREVIEWS).map((a) => a.url));
    const buttons = element.querySelectorAll<HTMLButtonElement>(".load-preview");
    expect(buttons).toHaveLength(4);
    buttons[0]?.click();
    await settle();
    expect(previews).toHaveLength(MAX_AUTO_PREVIEWS + 1);
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
    const element = row([hostile], actions());
    const name = element.querySelector(".attachment-name");
    expect(name?.tagName).toBe("BDI");
    expect(name?.getAttribute("dir")).toBe("auto");
    expect(name?.textContent).toBe("<img src=x onerror=alert(1)>fdp.exe");
    expect(element.querySelector("img")).toBeNull();
    expect(element.textContent).not.toContain("\u202E");
  });
});

describe("executable files", () => {
  it("need a second confirmation before they are saved", async () => {
    const saves: Saves = [];
    const exe: AttachmentView = { type: "file", url: "https://cdn.example/u/setup.exe", displayName: "setup.exe" };
    const element = row([exe], actions(saves));
    element.querySelector<HTMLButtonElement>(".attachment-download")?.click();
    await settle();
    const dialog = document.querySelector<HTMLElement>("[role=dialog]");
    expect(dialog?.textContent).toContain("Save a file that can run programs?");
    expect(dialog?.querySelector("bdi")?.textContent).toBe("setup.exe");
    expect(document.activeElement?.textContent).toBe("Cancel");
    button(dialog as HTMLElement, "Cancel").click();
    await settle();
    expect(saves).toEqual([[exe.url, "setup.exe", false]]);
    expect(element.querySelector("[role=status]")?.textContent).toBe("Not saved");

    element.querySelector<HTMLButtonElement>(".attachment-download")?.click();
    await settle();
    button(document.querySelector("[role=dialog]") as HTMLElement, "Save anyway").click();
    await settle();
    expect(saves).toEqual([
      [exe.url, "setup.exe", false],
      [exe.url, "setup.exe", false],
      [exe.url, "setup.exe", true],
    ]);
    expect(element.querySelector("[role=status]")?.textContent).toBe("Saved to /home/seller/Downloads/setup.exe");
    expect(document.querySelector("[role=dialog]")).toBeNull();
  });

  it("other files save at once", async () => {
    const saves: Saves = [];
    const pdf: AttachmentView = { type: "file", url: "https://cdn.example/u/a.pdf", displayName: "a.pdf" };
    const element = row([pdf], actions(saves));
    element.querySelector<HTMLButtonElement>(".attachment-download")?.click();
    await settle();
    expect(document.querySelector("[role=dialog]")).toBeNull();
    expect(saves).toEqual([[pdf.url, "a.pdf", false]]);
  });
});
