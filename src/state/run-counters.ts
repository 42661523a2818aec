// A task's all-time counts of finished real runs (runs/TASK.counters.json),
// kept apart from the records, which are pruned: metrics' counters never go back.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Counters, RunRecord } from "../model/run-record.js";
import { taskName, writeRecordFile } from "./run-records.js";

export class RunCounters {
  constructor(readonly stateDir: string) {}

  private path(task: string): string {
    return join(this.stateDir, "runs", `${taskName(task)}.counters.json`);
  }

  of(task: string): Counters {
    try {
      const value = JSON.parse(readFileSync(this.path(task), "utf8")) as Partial<Counters>;
      return { runs: value.runs ?? {}, bytes: value.bytes ?? 0 };
    } catch {
      return { runs: {}, bytes: 0 };
    }
  }

  /** Counts a finished run; call it holding the task's lock. Dry runs and checks are not counted. */
  count(record: RunRecord): void {
    if (record.kind !== "run" || record.dry_run || record.state === "RUNNING") return;
    const counters = this.of(record.task);
    counters.runs[record.state] = (counters.runs[record.state] ?? 0) + 1;
    counters.bytes += record.bytes;
    writeRecordFile(this.path(record.task), `${JSON.stringify(counters)}\n`, "the run counters");
  }
}
