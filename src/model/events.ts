// What happens, as the one event stream tells it: every run, apply and check,
// whoever started it. Shapes only: src/events carries them to subscribers.
import type { Diagnostic } from "./diagnostics.js";
import type { StateCounts } from "./fleet.js";
import type { RcloneStats } from "./progress.js";
import type { Approval, RunRecord } from "./run-record.js";

export type Level = "error" | "warning" | "info";

/** The summary of an apply: what changed, by address. */
export interface AppliedChanges {
  serial: number;
  summary: { add: number; change: number; destroy: number };
  changes: { address: string; action: "create" | "update" | "delete" }[];
}

export type CloudsyncEvent =
  | ({ type: "apply.completed"; reason: string } & AppliedChanges)
  | { type: "config.rejected"; file: string; reason: string; diagnostics: Diagnostic[] }
  /** `elsewhere`: a run another process (a `cloudsync run` in a terminal) started, seen by the service; that process notifies of it itself. */
  | { type: "run.started"; record: RunRecord; elsewhere?: boolean }
  | { type: "run.progress"; record: RunRecord; stats: RcloneStats; elsewhere?: boolean }
  /** `previous`: the state of the task's run before this one (dry runs aside), for "recovered". */
  | { type: "run.finished"; record: RunRecord; previous: RunRecord["state"] | null; elsewhere?: boolean }
  | { type: "run.queued"; task: string; max_parallel_runs: number }
  | { type: "run.skipped"; task: string; reason: string }
  /** A HELD run's task may delete beyond max_delete in its next run, once. */
  | { type: "run.approved"; approval: Approval }
  | { type: "check.finished"; record: RunRecord; elsewhere?: boolean }
  | { type: "task.overdue"; task: string; last_success: string | null; max_age: string }
  | { type: "schedule.updated"; scheduled: { task: string; kind: RunRecord["kind"]; schedule: string; next: string | null }[]; unscheduled: string[]; unscheduled_checks?: string[] }
  | { type: "service.started"; pid: number; config: string; state_dir: string }
  | { type: "service.stopping"; reason: string }
  /** The service read the fleet's folder: each host, as metrics and the page count it. */
  | { type: "fleet.read"; hosts: { host: string; trusted: boolean; stale: boolean; last_seen: string | null; counts: StateCounts }[] }
  /** Another host of the fleet has been silent longer than stale_after (told once until it is heard again). */
  | { type: "fleet.stale"; host: string; last_seen: string | null; stale_after: string }
  /** Another host's tasks whose last run FAILED, each failed run told once. */
  | { type: "fleet.failure"; host: string; tasks: { task: string; run_id: string; finished_at: string | null; error: string | null }[] }
  /** Something worth telling that is none of the above: a lock taken over, a fallback, a retry. */
  | { type: "notice"; level: Level; message: string; hint?: string; diagnostics?: Diagnostic[] };

export type EventType = CloudsyncEvent["type"];
export type EventOf<T extends EventType> = Extract<CloudsyncEvent, { type: T }>;
/** An event as delivered: with the time it happened. */
export type Stamped<E extends CloudsyncEvent = CloudsyncEvent> = E & { at: string };

export type Listener = (event: Stamped) => void;
