import { Cron } from "croner";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseSchedule, plainlyValid } from "../../src/config/schedule.js";

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

describe("out-of-range values are named as written", () => {
  it.each([
    ["0 0 32 * *", "day of month 32 is out of range: use 1–31"],
    ["0 0 0 * *", "day of month 0 is out of range: use 1–31"],
    ["0 0 * 13 *", "month 13 is out of range: use 1–12"],
    ["0 0 * 0 *", "month 0 is out of range: use 1–12"],
    ["0 24 * * *", "hour 24 is out of range: use 0–23"],
    ["60 * * * *", "minute 60 is out of range: use 0–59"],
    ["0 0 * * 8", "day of week 8 is out of range: use 0–7 (0 and 7 are Sunday)"],
    ["0 0 1-40 * *", "day of month 40 is out of range: use 1–31"],
    ["0 0 1,32 * *", "day of month 32 is out of range: use 1–31"],
    ["61 0 0 * * *", "second 61 is out of range: use 0–59"],
    ["*/0 * * * *", 'a step of 0 in "*/0" never advances'],
  ])("%j", (input, message) => {
    const result = parseSchedule(input);
    expect(result.ok ? "" : result.problems[0]!.message).toContain(message);
  });

  it("an object's field says its own value", () => {
    const result = parseSchedule({ dom: 32 });
    expect(result.ok ? [] : result.problems.map((p) => p.message)).toEqual(['invalid day of month "32" in schedule: day of month 32 is out of range: use 1–31']);
  });
});

describe("plainlyValid, the shortcut past croner", () => {
  it("never accepts what croner rejects or what never fires", () => {
    const field = fc.oneof(fc.constant("*"), fc.integer({ min: 0, max: 70 }).map(String), fc.integer({ min: 0, max: 70 }).map((n) => `*/${n}`), fc.constantFrom("00", "1-5", "mon", "L", "7"));
    fc.assert(
      fc.property(fc.array(field, { minLength: 5, maxLength: 6 }), (fields) => {
        const expression = fields.join(" ");
        if (!plainlyValid(expression)) return;
        const cron = new Cron(expression, { mode: "5-or-6-parts" });
        expect(cron.nextRun(new Date(Date.UTC(2000, 0, 1)))).not.toBeNull();
      }),
      { numRuns: 3000 },
    );
  });

  it("takes the common forms and leaves the rest to croner", () => {
    for (const expression of ["0 3 * * *", "*/15 * * * *", "30 2 1 * *", "0 0 * 2 0", "*/2 * * * * *"]) expect(plainlyValid(expression)).toBe(true);
    for (const expression of ["0 0 30 2 *", "60 * * * *", "0 0 * * mon", "1-5 * * * *", "*/0 * * * *"]) expect(plainlyValid(expression)).toBe(false);
  });
});

describe("a schedule written as most are", () => {
  it("is read as the same schedule written any other way (extra spaces take the general reading)", () => {
    const field = fc.oneof(fc.constant("*"), fc.integer({ min: 0, max: 70 }).map(String), fc.constantFrom("*/15", "1-5", "1,3", "0-59/7", "-", ",", "/", "**", "7"));
    fc.assert(
      fc.property(fc.array(field, { minLength: 4, maxLength: 7 }), (fields) => {
        const expression = fields.join(" ");
        // Messages quote the schedule as written: with its spaces collapsed, they are the same.
        const spaced = JSON.stringify(parseSchedule(`  ${fields.join("   ")} `)).replace(/ {2,}/g, " ").replace(/" /g, '"').replace(/ "/g, '"');
        expect(JSON.stringify(parseSchedule(expression))).toBe(spaced);
      }),
      { numRuns: 3000 },
    );
  });
});

describe("cron's names for schedules", () => {
  it("@hourly, @daily, @weekly, @monthly, @yearly (and @annually, @midnight) are the presets; @reboot says what to use instead", async () => {
    const { parseSchedule } = await import("../../src/config/schedule.js");
    expect(parseSchedule("@daily")).toEqual({ ok: true, cron: "0 0 * * *" });
    expect(parseSchedule("@HOURLY")).toEqual({ ok: true, cron: "0 * * * *" });
    expect(parseSchedule("@weekly")).toEqual({ ok: true, cron: "0 0 * * sun" });
    expect(parseSchedule("@monthly")).toEqual({ ok: true, cron: "0 0 1 * *" });
    expect(parseSchedule("yearly")).toEqual({ ok: true, cron: "0 0 1 1 *" });
    expect(parseSchedule("@yearly")).toEqual({ ok: true, cron: "0 0 1 1 *" });
    expect(parseSchedule("@annually")).toEqual({ ok: true, cron: "0 0 1 1 *" });
    expect(parseSchedule("@reboot")).toMatchObject({ ok: false, problems: [{ message: expect.stringContaining("catchup: true") }] });
  });
});

describe("durations in rclone's grammar", () => {
  it("reads decimals, days and weeks as well as 1h30m", async () => {
    const { durationMs } = await import("../../src/model/config.js");
    expect(durationMs("1.5h")).toBe(5_400_000);
    expect(durationMs("1h30m")).toBe(5_400_000);
    expect(durationMs("90s")).toBe(90_000);
    expect(durationMs("1d")).toBe(86_400_000);
    expect(durationMs("2w")).toBe(1_209_600_000);
    expect(durationMs("250ms")).toBe(250);
  });
});
