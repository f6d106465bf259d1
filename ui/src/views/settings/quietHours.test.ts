import { describe, expect, it } from "vitest";
import { clock, minutes } from "./quietHours";

describe("quiet hours", () => {
  it("reads and writes quiet hours as HH:MM", () => {
    expect(clock(22 * 60)).toBe("22:00");
    expect(clock(7 * 60 + 5)).toBe("07:05");
    expect(clock(0)).toBe("00:00");
    // Past midnight and before it wrap around the day.
    expect(clock(1440 + 61)).toBe("01:01");
    expect(clock(-30)).toBe("23:30");
    expect(minutes("22:30")).toBe(1350);
    expect(minutes(" 7:05 ")).toBe(425);
    expect(minutes("24:00")).toBeNull();
    expect(minutes("12:60")).toBeNull();
    expect(minutes("nope")).toBeNull();
    expect(minutes("")).toBeNull();
  });
});
