import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { labelValue, MetricsText, taskMetrics } from "../../src/metrics/model.js";
import type { RunRecord } from "../../src/model/run-record.js";
import { runRecord } from "../helpers/specs.js";

const record = (overrides: Partial<RunRecord>): RunRecord =>
  runRecord({ trigger: "schedule", finished_at: "2026-01-01T00:00:30.000Z", bytes: 100, files: 2, ...overrides });

/** promtool's verdict on a metrics text (Debian's prometheus package). */
const promtool = (text: string) => execFileSync("promtool", ["check", "metrics"], { input: text, encoding: "utf8", stdio: ["pipe", "pipe", "pipe"] });

describe("the metrics text", () => {
  it("follows the records: last run, last success, state, counters; dry runs left out", () => {
    const records = [record({ id: "dry", seq: 3, dry_run: true, state: "FAILED" }), record({ id: "failed", seq: 2, state: "FAILED", finished_at: "2026-01-02T00:00:10.000Z", started_at: "2026-01-02T00:00:00.000Z", bytes: 5 }), record({})];
    const m = taskMetrics(records, { runs: { SUCCESS: 4, FAILED: 1 }, bytes: 1234 }, true, new Date("2026-01-03T00:00:00.000Z"));
    expect(m).toMatchObject({ state: "FAILED", running: false, last_run: { finished: Date.parse("2026-01-02T00:00:10Z") / 1000, duration: 10, bytes: 5 }, last_success: Date.parse("2026-01-01T00:00:30Z") / 1000, next_run: Date.parse("2026-01-03T00:00:00Z") / 1000, last_check: null });
    const text = new MetricsText();
    text.setTask("t", m);
    text.setGlobal({ version: "1.2.3", rclone_version: "v1.60.1", queued: 2, reload: { success: true, at: 1_700_000_000 } });
    const out = text.render();
    expect(out).toContain('cloudsync_task_last_run_state{task="t",state="FAILED"} 1\n');
    expect(out).toContain('cloudsync_task_last_run_state{task="t",state="SUCCESS"} 0\n');
    expect(out).toContain('cloudsync_task_runs_total{task="t",state="SUCCESS"} 4\n');
    expect(out).toContain('cloudsync_task_transferred_bytes_total{task="t"} 1234\n');
    expect(out).toContain('cloudsync_build_info{version="1.2.3",rclone_version="v1.60.1"} 1\n');
    expect(out).toContain("cloudsync_runs_queued 2\n");
    expect(out).toContain("cloudsync_config_last_reload_success 1\n");
    promtool(out);
  });

  it("every family of SPEC section 9 is there, and promtool accepts the text with odd task names too", () => {
    const text = new MetricsText();
    const checked = taskMetrics([record({ id: "c", kind: "check", state: "FAILED" }), record({})], { runs: {}, bytes: 0 }, false, null);
    text.setTask('we"ird\\name', checked);
    text.setTask("pending", taskMetrics([], { runs: {}, bytes: 0 }, true, null));
    const out = text.render();
    for (const name of [
      "cloudsync_task_last_run_timestamp_seconds",
      "cloudsync_task_last_success_timestamp_seconds",
      "cloudsync_task_last_run_state",
      "cloudsync_task_last_run_duration_seconds",
      "cloudsync_task_last_run_bytes",
      "cloudsync_task_last_run_files",
      "cloudsync_task_runs_total",
      "cloudsync_task_transferred_bytes_total",
      "cloudsync_task_running",
      "cloudsync_task_next_run_timestamp_seconds",
      "cloudsync_task_enabled",
      "cloudsync_task_last_check_timestamp_seconds",
      "cloudsync_task_last_check_success",
      "cloudsync_runs_queued",
      "cloudsync_build_info",
    ])
      expect(out).toContain(`# TYPE ${name} `);
    expect(out).toContain(`cloudsync_task_last_check_success{task="${labelValue('we"ird\\name')}"} 0`);
    expect(out).toContain('cloudsync_task_last_run_state{task="pending",state="PENDING"} 1');
    promtool(out);
  });

  it("updates a task without touching the others; retain drops deleted tasks", () => {
    const text = new MetricsText();
    text.setTask("a", taskMetrics([], { runs: {}, bytes: 0 }, true, null));
    text.setTask("b", taskMetrics([], { runs: {}, bytes: 0 }, true, null));
    text.updateTask("a", { running: true });
    expect(text.render()).toContain('cloudsync_task_running{task="a"} 1');
    expect(text.render()).toContain('cloudsync_task_running{task="b"} 0');
    text.retain(new Set(["b"]));
    expect(text.render()).not.toContain('task="a"');
  });
});
