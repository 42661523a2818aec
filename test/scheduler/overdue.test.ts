import { describe, expect, it } from "vitest";
import { overdueTasks } from "../../src/scheduler/overdue.js";

const HOUR = 3_600_000;
const tasks = { t: { enabled: true, max_age: "1h" }, off: { enabled: false, max_age: "1h" }, none: { enabled: true, max_age: null } };

describe("overdue tasks", () => {
  const now = new Date("2026-06-04T12:00:00Z");
  const success = (at: Date) => () => ({ id: "r1", finished_at: at.toISOString() });

  it("are the enabled tasks with a max_age whose last success is older than it", () => {
    expect(overdueTasks(tasks, success(new Date(now.getTime() - 2 * HOUR)), now, now).map((o) => o.task)).toEqual(["t"]);
    expect(overdueTasks(tasks, success(new Date(now.getTime() - HOUR / 2)), now, now)).toEqual([]);
  });

  it("a task that never succeeded counts from when it was applied", () => {
    expect(overdueTasks(tasks, () => null, new Date(now.getTime() - 2 * HOUR), now)).toEqual([expect.objectContaining({ task: "t", episode: "never" })]);
  });

  it("a last success in the future (the clock ran ahead, and was corrected) counts from when the service began watching, not never", () => {
    const future = success(new Date(now.getTime() + 3 * 24 * HOUR));
    const watchedSince = new Date(now.getTime() - 2 * HOUR);
    expect(overdueTasks(tasks, future, now, now, watchedSince)).toEqual([expect.objectContaining({ task: "t", episode: "r1" })]);
    expect(overdueTasks(tasks, future, now, now, new Date(now.getTime() - HOUR / 2))).toEqual([]);
  });
});
