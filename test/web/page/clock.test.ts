import { describe, expect, it } from "vitest";
import { exactTime, relativeTime, setZone, timeOfDay } from "../../../src/web/page/clock.js";

describe("the page's one clock", () => {
  const now = Date.parse("2026-12-07T12:00:00Z");

  it("says times relative to now, in the largest unit that fits", () => {
    expect(relativeTime("2026-12-07T12:00:20Z", now)).toBe("now");
    expect(relativeTime("2026-12-07T11:59:00Z", now)).toBe("1 min. ago");
    expect(relativeTime("2026-12-07T15:00:00Z", now)).toBe("in 3 hr.");
    expect(relativeTime("2026-12-06T12:00:00Z", now)).toBe("yesterday");
    expect(relativeTime("2026-12-11T12:00:00Z", now)).toBe("in 4 days");
  });

  it("gives exact times in the schedules' zone", () => {
    setZone("Pacific/Auckland");
    expect(exactTime("2026-12-07T12:00:00Z")).toBe("2026-12-08 01:00");
    expect(timeOfDay(new Date("2026-12-07T12:00:07Z"))).toBe("01:00:07");
    setZone("America/New_York");
    expect(exactTime("2026-12-07T12:00:00Z")).toBe("2026-12-07 07:00");
  });
});
