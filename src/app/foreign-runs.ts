import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { EventBus } from "../events/events.js";
import type { RunRecord } from "../model/run-record.js";
import { RunRecords } from "../state/run-records.js";

/**
 * Runs that other processes (a `cloudsync run` in a terminal) do in this
 * state directory, told on the service's stream as they start, progress and
 * end, so the page and the metrics show them live. Looked for once a second,
 * and only while someone listens (the page, metrics).
 */
export class ForeignRuns {
  private readonly seen = new Map<string, RunRecord>();
  private readonly runs: RunRecords;

  constructor(
    stateDir: string,
    private readonly events: EventBus,
    /** The tasks this service runs itself (their events are told already). */
    private readonly own: () => ReadonlySet<string>,
  ) {
    this.runs = new RunRecords(stateDir);
  }

  /** One look: what started, moved on or ended since the last. */
  poll(): void {
    let locks: string[];
    try {
      locks = readdirSync(join(this.runs.stateDir, "runs")).filter((n) => n.endsWith(".lock")).map((n) => n.slice(0, -".lock".length));
    } catch {
      return;
    }
    const own = this.own();
    const active = new Set(locks.filter((task) => !own.has(task)));
    for (const task of active) {
      const record = this.runs.list(task).find((r) => r.state === "RUNNING");
      if (!record) continue;
      const before = this.seen.get(task);
      this.seen.set(task, record);
      if (!before || before.id !== record.id) this.events.emit({ type: "run.started", record, elsewhere: true });
      else if (before.bytes !== record.bytes || before.files !== record.files || before.checks !== record.checks) {
        // The figures the run keeps in its record: the same its own process shows (totals, speed, ETA).
        const stats = record.progress ?? { bytes: record.bytes, totalBytes: 0, speed: 0, eta: null, transfers: record.files, totalTransfers: 0, checks: record.checks, deletes: record.deletes, errors: 0, elapsedTime: 0 };
        this.events.emit({ type: "run.progress", record, stats, elsewhere: true });
      }
    }
    for (const [task, running] of this.seen) {
      if (active.has(task) && this.runs.get(task, running.id)?.state === "RUNNING") continue;
      this.seen.delete(task);
      const record = this.runs.get(task, running.id);
      if (!record || record.state === "RUNNING") continue;
      if (record.kind === "check") this.events.emit({ type: "check.finished", record, elsewhere: true });
      else this.events.emit({ type: "run.finished", record, previous: null, elsewhere: true });
    }
  }
}
