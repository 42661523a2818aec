import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startedRecord } from "../../src/model/run-record.js";
import { bootId } from "../../src/process/identity.js";
import { abortDeadRuns } from "../../src/runner/reap.js";
import { RunLogs } from "../../src/state/run-logs.js";
import { RunRecords } from "../../src/state/run-records.js";

let dir: string;
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, "SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

/**
 * A stand-in for an rclone given `logFile`, in a process group of its own (with a child, as a
 * stand-in script may have). spawn returns once the program has been exec'd: its arguments are readable.
 */
function rcloneWritingTo(logFile: string): ChildProcess {
  const child = spawn("sh", ["-c", "sleep 60; :", "sh", "--log-file", logFile], { detached: true, stdio: "ignore" });
  children.push(child);
  return child;
}

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

  it.runIf(process.platform === "linux")("ends an rclone the record never named, found by the log file it was given; another run's rclone is left alone", async () => {
    dir = mkdtempSync(join(tmpdir(), "cloudsync-reap-"));
    const records = new RunRecords(dir);
    // Killed between starting rclone and noting its group: the record names no process group.
    const dead = startedRecord({ id: "20261207T030000.000Z-0e0f", kind: "run", task: "photos", dry_run: false, trigger: "schedule", started_at: "2026-12-07T03:00:00.000Z", pid: 999999, boot_id: bootId() });
    records.save(dead);
    const logs = new RunLogs(dir);
    const left = logs.rclonePath("photos", dead.id, null);
    const live = logs.rclonePath("photos", "20261207T040000.000Z-1a1b", null);
    for (const file of [left, live]) writeFileSync(file, "");
    const orphan = rcloneWritingTo(left);
    const other = rcloneWritingTo(live);
    const orphanEnded = new Promise((resolve) => orphan.on("exit", (_code, signal) => resolve(signal)));
    const killed: number[] = [];
    abortDeadRuns(records, "photos", new Date("2026-12-07T05:00:00Z"), (pgid) => killed.push(pgid));
    expect(killed).toEqual([orphan.pid]);
    expect(await orphanEnded).toBe("SIGKILL");
    expect(other.exitCode).toBeNull();
    expect(other.signalCode).toBeNull();
  });
});
