// The backend's one channel to this window: each batch updates the app state (connection,
// badges, typing, problems, navigation) and invalidates exactly the queries of the ids it names.

import type { QueryClient } from "@tanstack/solid-query";
import { Channel } from "@tauri-apps/api/core";
import type { ConversationView } from "../bindings/ConversationView";
import type { UiEvent } from "../bindings/UiEvent";
import { commands } from "../bindings/commands";
import { problemText } from "../format";
import { toCommandError } from "../ipc";
import { staleKeys } from "../queries/invalidate";
import { keys } from "../queries/keys";
import { linkNotFoundText } from "../views/messages/linkify";
import { LIVE_GAP_MS, LiveThrottle } from "./liveThrottle";
import type { AppState } from "./state";
import { timed } from "../timings";

function loadedConversations(client: QueryClient): ConversationView[] {
  return client.getQueriesData<ConversationView[]>({ queryKey: keys.conversations() }).flatMap(([, rows]) => rows ?? []);
}

async function refreshInfo(app: AppState): Promise<void> {
  try {
    app.setInfo(await commands.appInfo());
  } catch (error) {
    app.showProblem(toCommandError(error).message);
  }
}

export function handleEvent(event: UiEvent, app: AppState, client: QueryClient, live: LiveThrottle, showTyping: boolean): void {
  app.applyEvent(event, showTyping);
  const last = event.problems[event.problems.length - 1];
  if (last) app.showProblem(problemText(last, loadedConversations(client)));
  if (event.linkNotFound !== null) app.showProblem(linkNotFoundText(event.linkNotFound));
  if (event.navigate) app.navigate(event.navigate);
  // The seller's id is known once connected: own messages are recognised from then on.
  if (event.resync || (event.state?.state === "connected" && !app.state.info?.userId)) void refreshInfo(app);
  const stale = staleKeys(event);
  // A resync is the full picture after (re)subscribing: no reason to wait. A fetch already
  // under way started after the subscription and is kept (cancelling it would fetch the same
  // twice, on start-up the first page of the inbox).
  if (stale === null) void client.invalidateQueries(undefined, { cancelRefetch: false });
  else live.push(stale);
}

/** The refetches live events cause, in rounds. A round lasts until its refetches are in and
 * rendered: the query layer hands results to the components in a microtask, which has run by
 * the time a 0 ms timer fires. */
export function liveRefetches(client: QueryClient, gapMs = LIVE_GAP_MS): LiveThrottle {
  return new LiveThrottle({
    gapMs,
    flush: async (stale) => {
      await Promise.all(stale.map((queryKey) => client.invalidateQueries({ queryKey })));
      await new Promise((rendered) => setTimeout(rendered, 0));
    },
  });
}

/** Subscribes this window; returns what stops listening. */
export function subscribeToBackend(app: AppState, client: QueryClient, showTyping: () => boolean): () => void {
  const live = liveRefetches(client);
  let stopped = false;
  const channel = new Channel<UiEvent>();
  channel.onmessage = (event) => {
    if (!stopped) timed("event", () => handleEvent(event, app, client, live, showTyping()));
  };
  commands.subscribe(channel).catch((error) => app.showProblem(toCommandError(error).message));
  return () => {
    stopped = true;
    live.stop();
  };
}
