import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { Cron } from "croner";
import { describe, expect, it } from "vitest";
import { onCalendar } from "../../src/export/calendar.js";
import { changesConcerning, clockChanges } from "../../src/export/clock-changes.js";

const lines = (cron: string, zone: string | null = null) => {
  const result = onCalendar(cron, zone);
  if (!result.ok) throw new Error(result.reason);
  return result.lines;
};

describe("cron → OnCalendar", () => {
  it("writes each field in systemd's words: lists, ranges, steps, names, seconds", () => {
    expect(lines("0 0 * * *")).toEqual(["*-*-* 00:00:00"]);
    expect(lines("*/15 9-17 * * MON-FRI")).toEqual(["Mon..Fri *-*-* 09..17:00..45/15:00"]);
    expect(lines("30 */5 1-3 * * *")).toEqual(["*-*-* 01..03:00..55/5:30"]);
    expect(lines("0 0 1 JAN,JUL *")).toEqual(["*-01,07-01 00:00:00"]);
    expect(lines("0 12 1-10/3 * *")).toEqual(["*-*-01..10/3 12:00:00"]);
    expect(lines("5 4 * * 0,7")).toEqual(["Sun *-*-* 04:05:00"]);
    expect(lines("0 0 * * 5-7")).toEqual(["Sun,Fri,Sat *-*-* 00:00:00"]);
  });

  it("a restricted day of month and day of week each suffice: two lines", () => {
    expect(lines("0 0 13 * 5")).toEqual(["*-*-13 00:00:00", "Fri *-*-* 00:00:00"]);
    expect(lines("0 0 13 * +5")).toEqual(["Fri *-*-13 00:00:00"]);
  });

  it("the last day, the last and the Kth weekday of a month; the time zone on every line", () => {
    expect(lines("0 0 L * *", "Europe/Berlin")).toEqual(["*-*~01 00:00:00 Europe/Berlin"]);
    expect(lines("0 0 L,15 * *")).toEqual(["*-*-15 00:00:00", "*-*~01 00:00:00"]);
    expect(lines("0 0 * * 5L")).toEqual(["Fri *-*~07/1 00:00:00"]);
    expect(lines("0 0 * * 1#2")).toEqual(["Mon *-*-08..14 00:00:00"]);
  });

  it("refuses what systemd cannot say, with the reason", () => {
    expect(onCalendar("0 0 15W * *", null)).toEqual({ ok: false, reason: expect.stringContaining("the nearest weekday (15W) has no systemd equivalent") });
    expect(onCalendar("0 0 1 2 3 4 5", null)).toMatchObject({ ok: false });
  });
});

describe("daylight-saving changes", () => {
  it("finds them, with the local times skipped or repeated", () => {
    const year = [new Date("2026-01-01T00:00:00Z"), new Date("2027-01-01T00:00:00Z")] as const;
    expect(clockChanges("Europe/Berlin", ...year).map(({ kind, from, to }) => ({ kind, from, to }))).toEqual([
      { kind: "skipped", from: "2026-03-29T02:00", to: "2026-03-29T03:00" },
      { kind: "repeated", from: "2026-10-25T02:00", to: "2026-10-25T03:00" },
    ]);
    expect(clockChanges("Australia/Lord_Howe", ...year).map(({ kind, from, to }) => ({ kind, from, to }))).toEqual([
      { kind: "repeated", from: "2026-04-05T01:30", to: "2026-04-05T02:00" },
      { kind: "skipped", from: "2026-10-04T02:00", to: "2026-10-04T02:30" },
    ]);
    expect(clockChanges("UTC", ...year)).toEqual([]);
    expect(changesConcerning("30 2 * * *", "Europe/Berlin", ...year)).toHaveLength(2);
    expect(changesConcerning("0 4 * * *", "Europe/Berlin", ...year)).toEqual([]);
    expect(changesConcerning("0 2 * * 1-5", "Europe/Berlin", ...year)).toEqual([]); // both changes fall on a Sunday
  });
});

// The proof: systemd's own calculation of the next runs equals croner's (the
// service's scheduler) over a corpus of schedules, zones and start times
// around daylight-saving changes.
const SCHEDULES = [
  "0 * * * *", "0 0 * * *", "0 0 * * sun", "0 0 1 * *", "0 0 1 1 *",
  "*/15 * * * *", "0 9-17/2 * * MON-FRI", "0 0 1,15 * 1", "0 0 13 * 5", "0 0 L * *", "0 0 * * 5L", "0 0 * * 1#2",
  "0 0 29 2 *", "30 */5 1-3 * * *", "0 0 * JAN-MAR SUN", "15 10 * * 7", "0 0 */2 * *", "0 0 */2 * 1", "0 12 ? * 2-4",
  "0 0 5-31/10 * *", "0 0 L,15 * *", "0 0 * * 1#5", "30 2 * * *", "0 1-3 * * *", "45 23 31 * *", "0 0 13 * +5",
];
const ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Australia/Sydney", "Australia/Lord_Howe", "Asia/Kolkata"];
// Just before the 2026 daylight-saving changes in Europe, the US and Australia, and an ordinary day.
const STARTS = ["2026-03-28T23:00:30Z", "2026-10-24T22:00:30Z", "2026-03-08T04:00:30Z", "2026-10-31T12:00:30Z", "2026-04-04T12:00:30Z", "2026-10-03T12:00:30Z", "2026-06-15T08:20:30Z"];
const ITERATIONS = 12;

/** systemd's next runs (UTC ISO) for each expression, from `base`, in one call. */
function systemdRuns(expressions: string[], base: string): string[][] {
  const output = execFileSync("systemd-analyze", ["calendar", `--base-time=@${Date.parse(base) / 1000}`, `--iterations=${ITERATIONS}`, ...expressions], { encoding: "utf8", env: { ...process.env, TZ: "UTC" } });
  return output
    .split(/\n\s*\n/)
    .filter((block) => /Normalized form:/.test(block))
    .map((block) => [...block.matchAll(/(?:Next elapse|Iter\. #\d+): \w+ (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) UTC/g)].map((m) => `${m[1]!.replace(" ", "T")}.000Z`));
}

describe.runIf(existsSync("/usr/bin/systemd-analyze"))("systemd fires when croner does", () => {
  for (const start of STARTS) {
    it(`from ${start}, in ${ZONES.join(", ")}`, () => {
      const cases = SCHEDULES.flatMap((cron) => ZONES.map((zone) => ({ cron, zone, lines: lines(cron, zone) })));
      const runs = systemdRuns(cases.flatMap((c) => c.lines), start);
      expect(runs).toHaveLength(cases.reduce((n, c) => n + c.lines.length, 0));
      let next = 0;
      const differing: string[] = [];
      for (const c of cases) {
        const perLine = runs.slice(next, next + c.lines.length);
        next += c.lines.length;
        const systemd = [...new Set(perLine.flat())].sort().slice(0, ITERATIONS);
        const croner = new Cron(c.cron, { mode: "5-or-6-parts", timezone: c.zone }).nextRuns(ITERATIONS, new Date(start)).map((d) => d.toISOString());
        // They may part only at a daylight-saving change the export warns of (see clock-changes).
        const warned = changesConcerning(c.cron, c.zone, new Date(start), new Date(Date.parse(croner.at(-1)!) + 86_400_000)).length > 0;
        if (!warned) expect(systemd, `${c.cron} in ${c.zone} from ${start}: ${c.lines.join(" | ")}`).toEqual(croner);
        else differing.push(`${c.cron} in ${c.zone}`);
      }
      // The warned path is taken where it must be: 02:30 does not exist in Berlin on 2026-03-29.
      if (start === STARTS[0]) expect(differing).toContain("30 2 * * * in Europe/Berlin");
    });
  }
});
