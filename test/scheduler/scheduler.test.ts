import { describe, expect, it } from "vitest";
import { FakeClock } from "../helpers/fake-clock.js";
import { Scheduler } from "../../src/scheduler/scheduler.js";

function setup(start: string) {
  const clock = new FakeClock(Date.parse(start));
  const fired: string[] = [];
  const scheduler = new Scheduler(clock, (task, at) => fired.push(`${task}@${at.toISOString()}`));
  return { clock, fired, scheduler };
}

describe("Scheduler", () => {
  it("fires each enabled task at its times, never a disabled or unscheduled one", () => {
    const { clock, fired, scheduler } = setup("2026-01-01T00:00:00.500Z");
    scheduler.update(
      { often: { schedule: "*/2 * * * * *", enabled: true }, off: { schedule: "* * * * * *", enabled: false }, manual: { schedule: null, enabled: true } },
      "UTC",
    );
    clock.advance(5000);
    expect(fired).toEqual(["often@2026-01-01T00:00:02.000Z", "often@2026-01-01T00:00:04.000Z"]);
  });

  it("is level-based: the same tasks again change nothing; a changed schedule is rescheduled; a removed task stops", () => {
    const { clock, fired, scheduler } = setup("2026-01-01T00:00:00.000Z");
    const tasks = { a: { schedule: "0 * * * *", enabled: true } };
    expect(scheduler.update(tasks, "UTC")).toEqual({ added: ["a"], removed: [], changed: [] });
    expect(scheduler.update(tasks, "UTC")).toEqual({ added: [], removed: [], changed: [] });
    expect(scheduler.update({ a: { schedule: "30 * * * *", enabled: true } }, "UTC")).toEqual({ added: [], removed: [], changed: ["a"] });
    clock.advance(31 * 60_000);
    expect(fired).toEqual(["a@2026-01-01T00:30:00.000Z"]);
    expect(scheduler.update({}, "UTC").removed).toEqual(["a"]);
    clock.advance(3 * 3_600_000);
    expect(fired).toHaveLength(1);
  });

  it("reads schedules in the configured time zone", () => {
    const { clock, fired, scheduler } = setup("2026-01-10T12:00:00.000Z");
    scheduler.update({ nightly: { schedule: "0 2 * * *", enabled: true } }, "Europe/Berlin");
    clock.advance(24 * 3_600_000);
    expect(fired).toEqual(["nightly@2026-01-11T01:00:00.000Z"]); // 02:00 in Berlin is 01:00 UTC in winter
  });

  it("fires once a day across the DST changes, at the local time", () => {
    const { clock, fired, scheduler } = setup("2026-03-27T12:00:00.000Z");
    scheduler.update({ t: { schedule: "30 1 * * *", enabled: true } }, "Europe/Berlin");
    clock.advance(3 * 24 * 3_600_000); // Berlin moves from +01:00 to +02:00 at 02:00 on 29 March 2026
    expect(fired).toEqual([
      "t@2026-03-28T00:30:00.000Z", // 28 March 01:30 +01:00
      "t@2026-03-29T00:30:00.000Z", // 29 March 01:30, still +01:00
      "t@2026-03-29T23:30:00.000Z", // 30 March 01:30 +02:00
    ]);
  });

  it("stop() stops everything", () => {
    const { clock, fired, scheduler } = setup("2026-01-01T00:00:00.000Z");
    scheduler.update({ a: { schedule: "* * * * * *", enabled: true } }, null);
    scheduler.stop();
    clock.advance(10_000);
    expect(fired).toEqual([]);
  });

  describe("after the wall clock steps", () => {
    const HOUR = 3_600_000;
    const at = (fired: string[]) => fired.map((f) => f.slice(f.indexOf("@") + 1));

    it("back by days (NTP correcting a clock that ran ahead): a minutely task runs within the minute, not days later", () => {
      const { clock, fired, scheduler } = setup("2026-06-04T12:00:30.000Z");
      scheduler.update({ often: { schedule: "* * * * *", enabled: true } }, "UTC");
      clock.advance(60_000);
      expect(at(fired)).toEqual(["2026-06-04T12:01:00.000Z"]);
      clock.step(-3 * 24 * HOUR);
      clock.advance(2 * 60_000);
      expect(at(fired).slice(1)).toEqual(["2026-06-01T12:02:00.000Z", "2026-06-01T12:03:00.000Z"]);
    });

    it("back by seconds: a slot that ran does not run again", () => {
      const { clock, fired, scheduler } = setup("2026-06-04T11:59:50.000Z");
      scheduler.update({ hourly: { schedule: "0 * * * *", enabled: true }, daily: { schedule: "0 12 * * *", enabled: true } }, "UTC");
      clock.advance(15_000);
      expect(fired).toHaveLength(2);
      clock.step(-90_000); // 12:00:05 becomes 11:58:35: 12:00 comes again
      clock.advance(3 * 60_000);
      expect(fired).toHaveLength(2);
      clock.advance(HOUR);
      expect(at(fired).slice(2)).toEqual(["2026-06-04T13:00:00.000Z"]);
    });

    it("back by an hour: a task every five minutes keeps its pace (a slot again rather than an hour without a run)", () => {
      const { clock, fired, scheduler } = setup("2026-06-04T12:04:00.000Z");
      scheduler.update({ five: { schedule: "*/5 * * * *", enabled: true } }, "UTC");
      clock.advance(2 * 60_000);
      clock.step(-HOUR);
      clock.advance(11 * 60_000);
      expect(at(fired)).toEqual(["2026-06-04T12:05:00.000Z", "2026-06-04T11:10:00.000Z", "2026-06-04T11:15:00.000Z"]);
    });

    it("forward: a catch-up task runs once for what it missed; another waits for its next time, and the skip is said", () => {
      const clock = new FakeClock(Date.parse("2026-06-04T01:00:00.000Z"));
      const fired: string[] = [];
      const skipped: string[] = [];
      const scheduler = new Scheduler(clock, (task) => fired.push(task), (s) => skipped.push(`${s.task}@${s.at.toISOString()}`));
      scheduler.update({ nightly: { schedule: "0 3 * * *", enabled: true, catchup: true }, plain: { schedule: "0 2 * * *", enabled: true }, hourly: { schedule: "0 * * * *", enabled: true, catchup: true } }, "UTC");
      clock.advance(10_000);
      clock.step(5 * HOUR); // a suspend from 01:00 to 06:00
      clock.advance(60_000);
      expect(fired.sort()).toEqual(["hourly", "nightly"]);
      expect(skipped).toEqual(["plain@2026-06-04T02:00:00.000Z"]);
      clock.advance(HOUR);
      expect(fired.filter((t) => t === "hourly")).toHaveLength(2);
    });
  });
});
