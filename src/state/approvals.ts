// Approvals of HELD runs (runs/TASK.approval.json): one per task at most,
// waiting for the task's next real run, which takes it (and records it in
// its own record); it never carries over to a later run.
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Approval } from "../model/run-record.js";
import { makeDirectory, taskName, writeRecordFile } from "./run-records.js";

export class Approvals {
  constructor(readonly stateDir: string) {}

  private path(task: string): string {
    return join(this.stateDir, "runs", `${taskName(task)}.approval.json`);
  }

  /** The approval waiting for the task's next run, if any. */
  waiting(task: string): Approval | null {
    try {
      const value = JSON.parse(readFileSync(this.path(task), "utf8")) as Approval;
      return value.task === task && typeof value.held_run === "string" ? value : null;
    } catch {
      return null;
    }
  }

  grant(approval: Approval): void {
    makeDirectory(join(this.stateDir, "runs"));
    writeRecordFile(this.path(approval.task), `${JSON.stringify(approval, null, 2)}\n`, "the approval");
  }

  /** The waiting approval, taken (call it holding the task's lock): the next run uses it, no later one. */
  take(task: string): Approval | null {
    const approval = this.waiting(task);
    if (approval) rmSync(this.path(task), { force: true });
    return approval;
  }
}
