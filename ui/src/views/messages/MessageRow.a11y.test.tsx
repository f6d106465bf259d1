import { cleanup, render } from "@solidjs/testing-library";
import { For } from "solid-js";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { dismissConfirmDialog } from "../../components/ConfirmDialog";
import { flush, installDialogPolyfill, openDialog } from "../../components/dialog.test-util";
import { message } from "../../fixtures.test-util";
import { seriousViolations } from "../axe.test-util";
import { file, image, imageNumber, recordingActions } from "./actions.test-util";
import { confirmExecutable } from "./confirmations";
import { MessageRow } from "./MessageRow";
import { clearPreviewCache } from "./previews";

beforeAll(() => installDialogPolyfill());

afterEach(() => {
  dismissConfirmDialog();
  cleanup();
  clearPreviewCache();
  document.body.replaceChildren();
});

/** A thread of every kind of row: theirs with links and attachments, own in each state, refused. */
function thread(): HTMLElement {
  const { actions } = recordingActions({
    preview: async (_id, url) => {
      if (url.endsWith("0.png")) throw new Error("cannot preview this attachment");
      return "data:image/png;base64,iVBORw0KGgo=";
    },
  });
  const messages = [
    message({ id: "m1", content: "مرحبا، see https://shop.example/item?id=1 or mailto:help@shop.example", attachments: [image, file] }),
    message({ id: "m2", content: "photos", attachments: Array.from({ length: 10 }, (_, i) => imageNumber(i)) }),
    message({ id: "m3", content: "Thanks!", status: "read", own: true }),
    message({ id: "q1", content: "queued", status: "queued", clientMessageId: "q1", own: true }),
    message({ id: "f1", content: "refused", status: "failed", failure: "CONVERSATION_CLOSED", clientMessageId: "f1", own: true }),
  ];
  const { container } = render(() => (
    <main>
      <ol class="messages" aria-label="Messages">
        <For each={messages}>
          {(m) => <MessageRow message={m} context={{ selfId: "seller-1", onRetry: () => {}, foundId: "m2", actions }} />}
        </For>
      </ol>
    </main>
  ));
  return container;
}

describe("accessibility (axe-core, WCAG 2.2 AA)", () => {
  it("a thread of populated rows has no serious or critical violations", async () => {
    const root = thread();
    await flush();
    // Every state is in it: a shown preview, a failed one, some waiting for a click, links, Retry.
    expect(root.querySelector(".attachment-preview img")).not.toBeNull();
    expect(root.querySelector(".attachment-preview.failed")).not.toBeNull();
    expect(root.querySelector(".load-preview")).not.toBeNull();
    expect(root.querySelectorAll("a.message-link")).toHaveLength(2);
    expect(root.querySelector(".retry-message")).not.toBeNull();
    expect(await seriousViolations(root)).toEqual([]);
  });

  it("the open confirmation has none either", async () => {
    thread();
    void confirmExecutable("setup.exe");
    expect(openDialog()).not.toBeNull();
    expect(await seriousViolations(document.body)).toEqual([]);
  });
});
