import { QueryObserver } from "@tanstack/solid-query";
import { describe, expect, it } from "vitest";
import { settle } from "../components/layout.test-util";
import { createQueryClient } from "../queries/client";
import { event } from "../queries/events.test-util";
import { handleEvent } from "./events";
import { LiveThrottle } from "./liveThrottle";
import { createAppState } from "./state";

describe("a batch from the backend", () => {
  it("a resync while a query's first fetch is under way keeps that fetch (start-up fetches the inbox once)", async () => {
    const client = createQueryClient();
    let fetches = 0;
    let release: () => void = () => {};
    const observer = new QueryObserver(client, {
      queryKey: ["conversations", 200],
      queryFn: () => {
        fetches++;
        return new Promise<string[]>((resolve) => (release = () => resolve(["c1"])));
      },
    });
    const stop = observer.subscribe(() => {});
    await settle();
    expect(fetches).toBe(1);
    handleEvent(event({ resync: true }), createAppState(), client, new LiveThrottle({ gapMs: 0, flush: () => {} }), true);
    await settle();
    release();
    await settle();
    expect(fetches).toBe(1);
    expect(observer.getCurrentResult().data).toEqual(["c1"]);
    // Once loaded, a resync fetches again: it is the full picture.
    handleEvent(event({ resync: true }), createAppState(), client, new LiveThrottle({ gapMs: 0, flush: () => {} }), true);
    await settle();
    expect(fetches).toBe(2);
    stop();
  });
});
