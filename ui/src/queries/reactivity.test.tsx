import { QueryClientProvider, createQuery } from "@tanstack/solid-query";
import { render } from "@solidjs/testing-library";
import { createEffect, createSignal } from "solid-js";
import { describe, expect, it } from "vitest";
import { settle } from "../components/layout.test-util";
import { createQueryClient } from "./client";

describe("queries follow their cache", () => {
  it("setQueryData and refetches reach the component", async () => {
    const client = createQueryClient();
    let n = 0;
    const seen: number[] = [];
    function Probe() {
      const q = createQuery(() => ({ queryKey: ["probe"], queryFn: async () => ({ value: ++n }) }));
      createEffect(() => {
        const d = q.data;
        if (d) seen.push(d.value);
      });
      return <p>{q.data?.value}</p>;
    }
    const r = render(() => (
      <QueryClientProvider client={client}>
        <Probe />
      </QueryClientProvider>
    ));
    await settle(40);
    expect(r.container.textContent).toBe("1");
    client.setQueryData(["probe"], { value: 10 });
    await settle(40);
    expect(r.container.textContent).toBe("10");
    client.setQueryData(["probe"], { value: 11 });
    await settle(40);
    expect(r.container.textContent).toBe("11");
    await client.invalidateQueries({ queryKey: ["probe"] });
    await settle(40);
    expect(r.container.textContent).toBe("2");
    await client.invalidateQueries({ queryKey: ["probe"] });
    await settle(40);
    expect(r.container.textContent).toBe("3");
    expect(seen).toEqual([1, 10, 11, 2, 3]);
  });
});

describe("a query enabled later", () => {
  it("still follows setQueryData", async () => {
    const client = createQueryClient();
    const [enabled, setEnabled] = createSignal(false);
    function Probe() {
      const q = createQuery(() => ({ queryKey: ["late"], queryFn: async () => ({ value: 1 }), enabled: enabled() }));
      return <p>{q.data?.value ?? "none"}</p>;
    }
    const r = render(() => (
      <QueryClientProvider client={client}>
        <Probe />
      </QueryClientProvider>
    ));
    await settle(40);
    expect(r.container.textContent).toBe("none");
    setEnabled(true);
    await settle(40);
    expect(r.container.textContent).toBe("1");
    client.setQueryData(["late"], { value: 10 });
    await settle(40);
    expect(r.container.textContent).toBe("10");
  });
});
