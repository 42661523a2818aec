import { describe, expect, it } from "vitest";
import { parseSchedule } from "../../src/config/schedule.js";

describe("parseSchedule", () => {
  it.each([
    ["hourly", "0 * * * *"],
    ["daily", "0 0 * * *"],
    ["weekly", "0 0 * * sun"],
    ["monthly", "0 0 1 * *"],
    ["DAILY", "0 0 * * *"],
    ["30 2 * * *", "30 2 * * *"],
    ["*/2 * * * * *", "*/2 * * * * *"],
    ["0  3   * * mon-fri", "0 3 * * mon-fri"],
  ])("%j → %j", (input, cron) => expect(parseSchedule(input)).toEqual({ ok: true, cron }));

  it("fills a TrueNAS object: missing fields are *, minute is 0", () => {
    expect(parseSchedule({ hour: 3, dow: "sun" })).toEqual({ ok: true, cron: "0 3 * * sun" });
    expect(parseSchedule({})).toEqual({ ok: true, cron: "0 * * * *" });
    expect(parseSchedule({ minute: "*/15", dom: 1, month: "jan" })).toEqual({ ok: true, cron: "*/15 * 1 jan *" });
  });

  it("points at the wrong field of an object", () => {
    const result = parseSchedule({ minute: 0, hour: 25, dow: "funday" });
    expect(result.ok ? [] : result.problems.map((p) => p.field)).toEqual(["hour", "dow"]);
  });

  it.each([["nightly"], ["0 0 * *"], ["0 0 0 * * * 2030"], ["61 * * * *"], ["0 0 30 2 *"], ["a b c d e"]])("rejects %j", (input) => {
    expect(parseSchedule(input).ok).toBe(false);
  });
});
