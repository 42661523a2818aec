import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startedRecord } from "../../src/model/run-record.js";
import { abortDeadRuns } from "../../src/runner/reap.js";
import { RunLogs } from "../../src/state/run-logs.js";
import { RunRecords } from "../../src/state/run-records.js";

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("what a dead run left", () => {
  it("is ended ABORTED, and the log rclone was writing for it goes (another run's stays)", () => {
    dir = mkdtempSync(join(tmpdir(), "cloudsync-reap-"));
    const records = new RunRecords(dir);
    const dead = startedRecord({ id: "20261207T030000.000Z-0a0b", kind: "run", task: "photos", dry_run: false, trigger: "schedule", started_at: "2026-12-07T03:00:00.000Z", pid: 999999, boot_id: "another-boot" });
    records.save(dead);
    const logs = new RunLogs(dir);
    const left = logs.rclonePath("photos", dead.id, "cloud");
    const other = logs.rclonePath("photos", "20261207T040000.000Z-0c0d", null);
    for (const file of [left, other]) writeFileSync(file, "{}\n");
    const ended = abortDeadRuns(records, "photos", new Date("2026-12-07T05:00:00Z"));
    expect(ended.map((r) => [r.id, r.state])).toEqual([[dead.id, "ABORTED"]]);
    expect(existsSync(left)).toBe(false);
    expect(existsSync(other)).toBe(true);
  });
});
