// Approvals of HELD runs (runs/TASK.approval.json): one per task at most,
// waiting for the task's next real run, which takes it (and records it in
// its own record); it never carries over to a later run.
import type { Approval } from "../model/run-record.js";
import { TaskFile } from "./task-files.js";

const isApproval = (value: unknown, task: string): value is Approval =>
  value !== null && typeof value === "object" && (value as Approval).task === task && typeof (value as Approval).held_run === "string";

export class Approvals {
  private readonly files: TaskFile<Approval>;

  constructor(stateDir: string) {
    this.files = new TaskFile(stateDir, "approval", "the approval", isApproval);
  }

  /** The approval waiting for the task's next run, if any. */
  waiting(task: string): Approval | null {
    return this.files.read(task);
  }

  grant(approval: Approval): void {
    this.files.write(approval.task, approval);
  }

  /** The waiting approval, taken (call it holding the task's lock): the next run uses it, no later one. */
  take(task: string): Approval | null {
    const approval = this.files.read(task);
    if (approval) this.files.remove(task);
    return approval;
  }
}
