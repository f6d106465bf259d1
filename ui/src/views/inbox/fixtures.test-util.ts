// An in-memory thread answering list_messages as the cache's thread_page does, counting calls.

import type { MessageView } from "../../bindings/MessageView";
import type { ThreadAnchor } from "../../bindings/ThreadAnchor";
import type { ThreadPage } from "../../bindings/ThreadPage";

const T0 = Date.parse("2026-11-01T00:00:00.000Z");

export function message(i: number, overrides: Partial<MessageView> = {}): MessageView {
  return {
    id: `m${String(i).padStart(6, "0")}`,
    conversationId: "c1",
    sender: { id: "b1", name: "Buyer", avatar: "" },
    content: `message ${i}`,
    attachments: [],
    timestamp: new Date(T0 + i * 1000).toISOString(),
    status: "read",
    clientMessageId: null,
    own: false,
    failure: null,
    ...overrides,
  } as MessageView;
}

export class FakeThread {
  messages: MessageView[];
  calls: ThreadAnchor[] = [];
  constructor(count: number) {
    this.messages = Array.from({ length: count }, (_, i) => message(i));
  }
  page(anchor: ThreadAnchor, limit: number): ThreadPage {
    this.calls.push(anchor);
    const all = this.messages;
    const index = (id: string) => all.findIndex((m) => m.id === id);
    let from: number;
    let to: number;
    switch (anchor.from) {
      case "newest":
        to = all.length;
        from = Math.max(0, to - limit);
        break;
      case "before":
        to = index(anchor.cursor.id);
        from = Math.max(0, to - limit);
        break;
      case "after":
        from = index(anchor.cursor.id) + 1;
        to = Math.min(all.length, from + limit);
        break;
      case "around": {
        const at = index(anchor.messageId);
        from = Math.max(0, at - Math.floor(limit / 2));
        to = Math.min(all.length, from + limit);
        break;
      }
    }
    return { messages: all.slice(from, to), hasOlder: from > 0, hasNewer: to < all.length };
  }
}
