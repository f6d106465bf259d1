// The part of a thread kept in memory: a contiguous run of messages, oldest first, at most
// MAX_LOADED of them however long the thread. Pure functions: the thread component holds the
// run in a signal, and the list component renders a window of it.

import type { MessageView } from "../../bindings/MessageView";
import type { ThreadPage } from "../../bindings/ThreadPage";
import { isUnsent } from "../../format";

/** At most this many rows of a thread are in the DOM. */
export const MAX_ROWS = 200;
/** At most this many messages are kept in memory; the far side is dropped beyond it. */
export const MAX_LOADED = 1000;
/** Rows the window moves by when the seller nears one of its edges. */
export const SHIFT = 60;

export type ThreadRun = {
  messages: MessageView[];
  hasOlder: boolean;
  hasNewer: boolean;
};

export type Window = { start: number; end: number };

export const EMPTY_RUN: ThreadRun = { messages: [], hasOlder: false, hasNewer: false };

export function fromPage(page: ThreadPage): ThreadRun {
  return { messages: page.messages, hasOlder: page.hasOlder, hasNewer: page.hasNewer };
}

function lastIndexOf(messages: MessageView[], id: string): number {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i].id === id) return i;
  return -1;
}

/**
 * The newest page fetched again (a live update) merged into the run. Where the page overlaps the
 * run it replaces the run's newest end; when more than a page arrived, the run starts again from
 * the page if the seller follows the newest, and otherwise is kept (`hasNewer`: the newest are a
 * "Newest" click away).
 */
export function mergeNewest(run: ThreadRun, page: ThreadPage, followsNewest: boolean, window: Window): ThreadRun {
  const first = page.messages[0];
  const at = first ? lastIndexOf(run.messages, first.id) : -1;
  let next: ThreadRun;
  if (at >= 0) next = { ...run, messages: run.messages.slice(0, at).concat(page.messages), hasNewer: false };
  else if (followsNewest || run.messages.length === 0) next = { messages: page.messages, hasOlder: page.hasOlder, hasNewer: false };
  else return { ...run, hasNewer: true };
  return trimOlder(next, window);
}

/** Messages to anchor the next page on: unsent ones carry a local time and id. */
export function edges(run: ThreadRun): { oldest: MessageView | undefined; newest: MessageView | undefined } {
  const sent = run.messages.filter((m) => !isUnsent(m));
  return { oldest: sent[0], newest: sent[sent.length - 1] };
}

/** An older page joined at the start; the newest end is dropped beyond MAX_LOADED (keeping the window). */
export function prependOlder(run: ThreadRun, page: ThreadPage, window: Window): ThreadRun {
  const added = page.messages.length;
  const next = { ...run, messages: page.messages.concat(run.messages), hasOlder: page.hasOlder };
  const excess = next.messages.length - MAX_LOADED;
  if (excess <= 0) return next;
  const keep = Math.max(window.end + added, next.messages.length - excess);
  if (keep >= next.messages.length) return next;
  // Unsent messages only ride at the newest end; they come back with it.
  return { ...next, messages: next.messages.slice(0, keep).filter((m) => !isUnsent(m)), hasNewer: true };
}

/** A newer page joined at the end; the oldest are dropped beyond MAX_LOADED (keeping the window). */
export function appendNewer(run: ThreadRun, page: ThreadPage, window: Window): ThreadRun {
  return trimOlder({ ...run, messages: run.messages.concat(page.messages), hasNewer: page.hasNewer }, window);
}

function trimOlder(run: ThreadRun, window: Window): ThreadRun {
  const excess = run.messages.length - MAX_LOADED;
  const drop = Math.min(window.start, excess);
  if (drop <= 0) return run;
  return { ...run, messages: run.messages.slice(drop), hasOlder: true };
}
