import { describe, expect, it } from "vitest";
import { serialWrite } from "./writes";

describe("writes of one object", () => {
  it("run one at a time in the order they were asked, a failure not stopping the next", async () => {
    const log: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = serialWrite(["prefs"], async () => {
      log.push("first starts");
      await gate;
      log.push("first ends");
      throw new Error("refused");
    });
    const second = serialWrite(["prefs"], async () => {
      log.push("second");
      return 2;
    });
    const other = serialWrite(["other"], async () => {
      log.push("other key");
    });
    await other;
    expect(log).toEqual(["first starts", "other key"]);
    release();
    await expect(first).rejects.toThrow("refused");
    expect(await second).toBe(2);
    expect(log).toEqual(["first starts", "other key", "first ends", "second"]);
  });
});
