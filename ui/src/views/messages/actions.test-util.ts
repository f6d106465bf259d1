// Test doubles of what a row may ask of the app: they record each call and answer like the
// backend does (a preview as a data: URL, a save as the saved path, refusing an executable until
// confirmed).

import type { AttachmentView } from "../../bindings/AttachmentView";
import { CommandError } from "../../ipc";
import type { MessageActions } from "./context";

export const PNG = "data:image/png;base64,iVBORw0KGgo=";

export type Calls = {
  preview: string[];
  save: [url: string, name: string, confirmed: boolean][];
  openLink: string[];
  /** The message id each preview or save named. */
  messages: string[];
};

export function recordingActions(overrides: Partial<MessageActions> = {}): { actions: MessageActions; calls: Calls } {
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
      if (name.endsWith(".exe") && !confirmed) {
        throw new CommandError("ATTACHMENT_NEEDS_CONFIRMATION", `${name} can run programs when opened: confirm to save it`);
      }
      return `/home/seller/Downloads/${name}`;
    },
    openLink: async (url) => {
      calls.openLink.push(url);
    },
    ...overrides,
  };
  return { actions, calls };
}

export const image: AttachmentView = {
  type: "image",
  url: "http://127.0.0.1:9/uploads/u1/photo.png",
  name: "photo.png",
  size: 300_000,
  displayName: "photo.png",
};

export const file: AttachmentView = {
  type: "file",
  url: "http://127.0.0.1:9/uploads/u2/invoice.pdf",
  name: "invoice.pdf",
  size: 120_000,
  displayName: "invoice.pdf",
};

/** Image attachment number `i`. */
export function imageNumber(i: number): AttachmentView {
  return { type: "image", url: `https://cdn.example/u/${i}.png`, name: `${i}.png`, displayName: `${i}.png` };
}
