import { describe, expect, it } from "vitest";
import type { StatusReport } from "../../src/model/results.js";
import { ConfigError, UserError } from "../../src/errors.js";
import type { RunRecord } from "../../src/model/run-record.js";
import { errorJson } from "../../src/views/error.js";
import { outcomeLine, recordJson, runJson } from "../../src/views/record.js";
import { serviceLogLines } from "../../src/views/service-log.js";
import { renderStatus, statusJson } from "../../src/views/status.js";
import { runRecord } from "../helpers/specs.js";

const record: RunRecord = runRecord({
  id: "20260101T000000.000Z-abcd",
  task: "photos",
  state: "FAILED",
  trigger: "schedule",
  finished_at: "2026-01-01T00:01:05.000Z",
  bytes: 2048,
  files: 2,
  checks: 3,
  error: "rclone failed\nsecond line",
  pid: 4242,
  boot_id: "boot",
});

describe("record views", () => {
  it("JSON shows what a run did, none of its bookkeeping", () => {
    const json = recordJson(record);
    expect(json).toMatchObject({ id: record.id, kind: "run", task: "photos", state: "FAILED", duration_ms: 65_000, bytes: 2048 });
    expect(json).not.toHaveProperty("pid");
    expect(json).not.toHaveProperty("process_group");
    expect(runJson(record)).toEqual({ task: "photos", run_id: record.id, state: "FAILED", dry_run: false, bytes: 2048, files: 2, deletes: 0, checks: 3, attempts: 1, duration_ms: 65_000, error: "rclone failed\nsecond line", destinations: null });
  });

  it("the outcome line names the run, its figures and its error", () => {
    expect(outcomeLine(record)).toBe(`Run ${record.id} of photos: FAILED — 2 files, 2.00 KiB, 0 deleted, in 1m05s\nrclone failed\nsecond line`);
  });
});

describe("status view", () => {
  const report: StatusReport = {
    state_dir: "/s",
    serial: 2,
    applied_at: null,
    timezone: "UTC",
    service: null,
    pending_changes: true,
    tasks: [{ name: "photos", description: "", direction: "push", transfer_mode: "sync", path: "/mnt/photos", remote: "store:photos", enabled: true, schedule: "0 0 * * *", state: "FAILED", last_run: record, last_error: { run_id: record.id, finished_at: record.finished_at, error: record.error! }, last_success: null, last_check: null, next_run: "2026-01-02T00:00:00.000Z", next_check: null, destinations: null, running: null, recent: [record], encrypted: false, overdue: false }],
  };

  it("JSON in SPEC's shape, with the service and each task's last error", () => {
    const json = statusJson(report);
    expect(json.tasks[0]).toMatchObject({ name: "photos", state: "FAILED", last_run: { id: record.id, state: "FAILED" }, last_error: { run_id: record.id } });
    expect(json.service).toBeNull();
    expect(JSON.stringify(json)).not.toContain("4242");
  });

  it("for people: the table, the last errors, the service and unapplied changes", () => {
    const text = renderStatus(report, "cloudsync.yaml");
    expect(text).toMatch(/photos\s+yes\s+0 0 \* \* \* \(At 00:00\)\s+FAILED/);
    expect(text).toContain(`photos (run ${record.id}): rclone failed`);
    expect(text).not.toContain("second line");
    expect(text).toContain("No cloudsync watch is serving this state directory.");
    expect(text).toContain("cloudsync.yaml has changes that are not applied");
  });
});

describe("service log", () => {
  const at = "2026-01-01T00:00:00.000Z";
  it("levels follow the outcome; progress is not logged", () => {
    expect(serviceLogLines({ type: "run.finished", record, previous: null, at })).toEqual([{ level: "error", text: outcomeLine(record).replace(/\n/g, " | ") }]);
    expect(serviceLogLines({ type: "run.finished", record: { ...record, state: "SUCCESS", error: null }, previous: "FAILED", at })[0]!.level).toBe("info");
    expect(serviceLogLines({ type: "run.progress", record, stats: {} as never, at })).toEqual([]);
  });

  it("a rejected file gives its diagnostics, then what happens", () => {
    const lines = serviceLogLines({ type: "config.rejected", file: "c.yaml", reason: "the file changed", diagnostics: [{ severity: "error", message: "bad", file: "c.yaml", line: 3, column: 4 }], at });
    expect(lines).toEqual([
      { level: "error", text: "c.yaml:3:4: error: bad" },
      { level: "error", text: "the file changed: the configuration has errors; the last applied configuration keeps running" },
    ]);
  });

  it("many tasks scheduled at once get one line", () => {
    const scheduled = Array.from({ length: 25 }, (_, i) => ({ task: `t${i}`, kind: "run" as const, schedule: "0 * * * *", next: `2026-01-01T0${i % 10}:00:00.000Z` }));
    expect(serviceLogLines({ type: "schedule.updated", scheduled, unscheduled: [], at })).toEqual([{ level: "info", text: "scheduled 25 tasks (first due: t0 at 2026-01-01T00:00:00.000Z)" }]);
  });
});

describe("error view", () => {
  it("is SPEC's {error: {message, hint}, diagnostics}", () => {
    expect(errorJson(new UserError("no", "try this"))).toEqual({ error: { message: "no", hint: "try this" }, diagnostics: null });
    const diagnostics = [{ severity: "error" as const, message: "bad", file: "c.yaml", line: 1, column: 1 }];
    expect(errorJson(new ConfigError("c.yaml", diagnostics))).toEqual({ error: { message: "c.yaml: 1 error; nothing was changed.", hint: null }, diagnostics });
  });
});

describe("progress line", () => {
  it("fits a terminal's width, dropping the least telling parts first", async () => {
    const { progressLine } = await import("../../src/views/format.js");
    const stats = { bytes: 5_000_000, totalBytes: 10_000_000, speed: 1_000_000, eta: 5, transfers: 3, totalTransfers: 9, checks: 12, deletes: 0, errors: 0, elapsedTime: 5 };
    const wide = progressLine(stats, true);
    expect(wide).toMatch(/^\[#{12}-{12}\]\s+50% {2}4\.77 MiB \/ 9\.54 MiB {2}976\.6 KiB\/s {2}ETA 5s {2}files 3\/9 {2}checks 12$/);
    for (const width of [20, 40, 60, 80]) expect(progressLine(stats, true, width).length).toBeLessThan(width);
    expect(progressLine(stats, true, 60)).toContain("50%");
    expect(progressLine(stats, true, 60)).not.toContain("checks");
  });
});
