// Writes of one stored object (the desktop preferences, the notification settings) go one at a
// time, whoever makes them: each reads the value saved last when its turn comes, so two writers
// (a settings row and a shortcut) never save a stale copy over each other.

import type { QueryKey } from "@tanstack/solid-query";

const queues = new Map<string, Promise<unknown>>();

/** Runs `write` after every write queued before it under `key`; resolves with its result. */
export function serialWrite<T>(key: QueryKey, write: () => Promise<T>): Promise<T> {
  const name = JSON.stringify(key);
  const turn = (queues.get(name) ?? Promise.resolve()).then(write, write);
  const settled = turn.catch(() => undefined);
  queues.set(name, settled);
  void settled.then(() => {
    if (queues.get(name) === settled) queues.delete(name);
  });
  return turn;
}
