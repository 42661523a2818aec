import { describe, expect, it } from "vitest";
import type { TaskRow } from "../../../src/web/page/api.js";
import { countOf, hashOf, routeOf, visibleTasks } from "../../../src/web/page/view.js";

/** A row of the task list with only what the list's finding looks at set. */
const row = (name: string, fields: Partial<TaskRow> = {}): TaskRow =>
  ({ name, description: "", path: `/data/${name}`, remote: `nas:${name}`, state: "SUCCESS", enabled: true, overdue: false, next_run: null, last_run: null, ...fields }) as TaskRow;

const at = (iso: string) => ({ started_at: iso }) as TaskRow["last_run"];

const TASKS = [
  row("photos", { description: "Family photos", next_run: "2026-12-08T03:00:00Z", last_run: at("2026-12-07T03:00:00Z") }),
  row("documents", { state: "FAILED", next_run: "2026-12-08T01:00:00Z", last_run: at("2026-12-07T05:00:00Z") }),
  row("music", { state: "HELD", overdue: true }),
  row("archive", { state: "PENDING", enabled: false }),
  row("mail", { state: "RUNNING", next_run: "2026-12-07T23:00:00Z", last_run: at("2026-12-06T01:00:00Z") }),
  row("videos", { state: "ABORTED" }),
];

describe("what the list shows, kept in the address", () => {
  it("reads and writes the filter, search and sort; unknown values fall back to the defaults", () => {
    const view = { q: "family photos", filter: "failed", sort: "next" } as const;
    expect(hashOf(view)).toBe("#/?q=family+photos&filter=failed&sort=next");
    expect(routeOf(hashOf(view))).toEqual({ page: "list", view });
    expect(hashOf({ q: "", filter: "all", sort: "name" })).toBe("#/");
    expect(routeOf("#/?filter=nonsense&sort=size")).toEqual({ page: "list", view: { q: "", filter: "all", sort: "name" } });
    expect(routeOf("")).toEqual({ page: "list", view: { q: "", filter: "all", sort: "name" } });
    expect(routeOf("#/task/caf%C3%A9%2Fbackup")).toEqual({ page: "task", name: "café/backup" });
  });
});

describe("finding tasks", () => {
  const names = (tasks: TaskRow[]) => tasks.map((t) => t.name);

  it("filters by the summary's chips: failed takes the aborted too", () => {
    expect(names(visibleTasks(TASKS, { q: "", filter: "failed", sort: "name" }))).toEqual(["documents", "videos"]);
    expect(names(visibleTasks(TASKS, { q: "", filter: "held", sort: "name" }))).toEqual(["music"]);
    expect(names(visibleTasks(TASKS, { q: "", filter: "overdue", sort: "name" }))).toEqual(["music"]);
    expect(names(visibleTasks(TASKS, { q: "", filter: "never", sort: "name" }))).toEqual(["archive"]);
    expect(names(visibleTasks(TASKS, { q: "", filter: "disabled", sort: "name" }))).toEqual(["archive"]);
    expect(names(visibleTasks(TASKS, { q: "", filter: "running", sort: "name" }))).toEqual(["mail"]);
    expect(countOf(TASKS, "all")).toBe(6);
    expect(countOf(TASKS, "failed")).toBe(2);
  });

  it("searches every word in names, descriptions, paths and remotes, ignoring case", () => {
    expect(names(visibleTasks(TASKS, { q: "FAMILY", filter: "all", sort: "name" }))).toEqual(["photos"]);
    expect(names(visibleTasks(TASKS, { q: "nas: mu", filter: "all", sort: "name" }))).toEqual(["music"]);
    expect(names(visibleTasks(TASKS, { q: "/data/ photos family", filter: "all", sort: "name" }))).toEqual(["photos"]);
    expect(names(visibleTasks(TASKS, { q: "photos music", filter: "all", sort: "name" }))).toEqual([]);
  });

  it("sorts by name, next run (soonest, never last), last run (newest, never last) and state (worst first)", () => {
    expect(names(visibleTasks(TASKS, { q: "", filter: "all", sort: "name" }))).toEqual(["archive", "documents", "mail", "music", "photos", "videos"]);
    expect(names(visibleTasks(TASKS, { q: "", filter: "all", sort: "next" }))).toEqual(["mail", "documents", "photos", "archive", "music", "videos"]);
    expect(names(visibleTasks(TASKS, { q: "", filter: "all", sort: "last" }))).toEqual(["documents", "photos", "mail", "archive", "music", "videos"]);
    expect(names(visibleTasks(TASKS, { q: "", filter: "all", sort: "state" }))).toEqual(["documents", "music", "videos", "mail", "archive", "photos"]);
  });

  it("leaves the list it was given as it was", () => {
    const before = names(TASKS);
    visibleTasks(TASKS, { q: "", filter: "all", sort: "state" });
    expect(names(TASKS)).toEqual(before);
  });
});
