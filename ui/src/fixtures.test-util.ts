// Test data shared by the component tests.

import type { MessageView } from "./bindings/MessageView";

/** A buyer's sent message "hi" in conversation c1, with `overrides`. */
export function message(overrides: Partial<MessageView> = {}): MessageView {
  return {
    id: "m1",
    conversationId: "c1",
    sender: { id: "b1", name: "Buyer", avatar: "" },
    content: "hi",
    attachments: [],
    timestamp: "2026-11-26T06:49:09.823Z",
    status: "sent",
    clientMessageId: null,
    own: false,
    failure: null,
    ...overrides,
  };
}
