// Pure presentation rules: how statuses, times, money and the connection read to the seller.

import type { ConnectionState } from "./bindings/ConnectionState";
import type { ConversationView } from "./bindings/ConversationView";
import type { Problem } from "./bindings/Problem";
import type { MessageView } from "./bindings/MessageView";

export type Tick = {
  /** What the tick looks like (text glyph). */
  glyph: string;
  /** For screen readers and tooltips. */
  label: string;
  /** CSS modifier: pending, sent, delivered, read, failed. */
  tone: "pending" | "sent" | "delivered" | "read" | "failed" | "unknown";
};

/** The status mark of a message the seller wrote. */
export function messageTick(message: Pick<MessageView, "status" | "failure">): Tick {
  switch (message.status) {
    case "queued":
      return { glyph: "◷", label: "Queued: sends when connected", tone: "pending" };
    case "sending":
      return { glyph: "◷", label: "Sending…", tone: "pending" };
    case "sent":
      return { glyph: "✓", label: "Sent", tone: "sent" };
    case "delivered":
      return { glyph: "✓✓", label: "Delivered", tone: "delivered" };
    case "read":
      return { glyph: "✓✓", label: "Read", tone: "read" };
    case "failed":
      return {
        glyph: "!",
        label: message.failure ? `Not sent: ${message.failure}` : "Not sent",
        tone: "failed",
      };
    default:
      return { glyph: "?", label: `Status: ${message.status}`, tone: "unknown" };
  }
}

/** Whether the message is still in the outbox (shown marked, not as a normal message). */
export function isUnsent(message: Pick<MessageView, "status">): boolean {
  return message.status === "queued" || message.status === "sending" || message.status === "failed";
}

/** The other side of a conversation: everyone but the seller. */
export function counterpartName(conversation: ConversationView, selfId: string | null): string {
  const others = conversation.participants.filter((p) => p.id !== selfId);
  const names = (others.length > 0 ? others : conversation.participants).map((p) => p.name).filter(Boolean);
  return names.length > 0 ? names.join(", ") : conversation.id;
}

/** How far ahead the seller is warned that the token runs out. */
export const TOKEN_WARNING_MS = 7 * 24 * 3600 * 1000;

export type TokenNotice = { level: "expired" | "soon"; text: string } | null;

/** The sign-in's expiry as a notice: none while far off, a warning within a week, then expired. */
export function tokenNotice(expiresAt: string | null, now: number = Date.now()): TokenNotice {
  if (!expiresAt) return null;
  const at = new Date(expiresAt).getTime();
  if (Number.isNaN(at)) return null;
  const left = at - now;
  if (left <= 0) return { level: "expired", text: "Your access token has expired: sign in again" };
  if (left > TOKEN_WARNING_MS) return null;
  const hours = Math.floor(left / 3_600_000);
  const days = Math.floor(hours / 24);
  const when = days >= 1 ? `${days} day${days > 1 ? "s" : ""}` : hours >= 1 ? `${hours} hour${hours > 1 ? "s" : ""}` : "less than an hour";
  return { level: "soon", text: `Your access token expires in ${when}` };
}

/**
 * A problem as the seller reads it: what it concerns first (the order, or the buyer of the
 * conversation), then the server's words and its code, which is shown even when unknown.
 */
export function problemText(problem: Problem, conversations: ConversationView[]): string {
  let about = "";
  if (problem.orderId) {
    about = `Order ${problem.orderId}: `;
  } else if (problem.conversationId) {
    const conversation = conversations.find((c) => c.id === problem.conversationId);
    about = `Conversation with ${conversation ? counterpartName(conversation, null) : problem.conversationId}: `;
  }
  return `${about}${problem.message} (${problem.code})`;
}

/** "14:05" today, "Mon 14:05" this week, "12 Nov" this year, else "12 Nov 2025". */
export function shortTime(iso: string, now: Date = new Date()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const time = date.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
  const sameDay = date.toDateString() === now.toDateString();
  if (sameDay) return time;
  const days = (now.getTime() - date.getTime()) / 86_400_000;
  if (days >= 0 && days < 6) return `${date.toLocaleDateString(undefined, { weekday: "short" })} ${time}`;
  if (date.getFullYear() === now.getFullYear())
    return date.toLocaleDateString(undefined, { day: "numeric", month: "short" });
  return date.toLocaleDateString(undefined, { day: "numeric", month: "short", year: "numeric" });
}

export function money(amount: number, currency: string): string {
  try {
    return new Intl.NumberFormat(undefined, { style: "currency", currency }).format(amount);
  } catch {
    // An unknown currency code: show it as given.
    return `${amount.toFixed(2)} ${currency}`;
  }
}

/** "awaiting_payment" → "Awaiting payment". */
export function humanize(value: string | null | undefined): string {
  if (!value) return "—";
  const words = value.replace(/[_.-]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export type ConnectionSummary = {
  /** CSS modifier and test hook: connecting, connected, reconnecting, offline, authFailed, stopped. */
  kind: ConnectionState["state"] | "none";
  text: string;
  /** Worth showing the Retry button. */
  canRetry: boolean;
};

/**
 * The status bar's wording. `receivedAt` is when the state arrived (ms), so the
 * reconnect countdown can be shown as time passes.
 */
export function connectionSummary(
  state: ConnectionState | null,
  receivedAt: number,
  now: number,
): ConnectionSummary {
  if (!state) return { kind: "none", text: "Not connected", canRetry: false };
  switch (state.state) {
    case "connecting":
      return { kind: "connecting", text: "Connecting…", canRetry: false };
    case "connected":
      return {
        kind: "connected",
        text: state.transport === "polling" ? "Connected via long-polling" : "Connected via WebSocket",
        canRetry: false,
      };
    case "reconnecting": {
      const left = Math.max(0, Math.ceil((receivedAt + state.delayMs - now) / 1000));
      const when = left > 0 ? `in ${left} s` : "now";
      return { kind: "reconnecting", text: `Reconnecting (attempt ${state.attempt}) ${when}`, canRetry: true };
    }
    case "offline":
      return { kind: "offline", text: `Offline: ${state.reason}`, canRetry: true };
    case "authFailed":
      return { kind: "authFailed", text: `Sign-in rejected: ${state.message}`, canRetry: true };
    case "stopped":
      return { kind: "stopped", text: "Disconnected", canRetry: false };
  }
}

/** "812 B", "14.2 KB", "3.4 MB", "1.2 GB" (powers of 1024). */
export function humanBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 1024) return `${Math.max(0, Math.round(bytes || 0))} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 100 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

/** `1 order`, `3 orders`: a count with the word that fits it (`one` for exactly 1). */
export function counted(count: number, one: string, many: string): string {
  return `${count.toLocaleString("en")} ${count === 1 ? one : many}`;
}
