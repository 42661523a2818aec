// A run or a check of a task, as recorded in the state directory and shown by
// every front end. Shapes and pure rules only: src/state keeps the records.
import type { RcloneStats } from "./progress.js";

/** HELD: a run stopped at the deletion limit (max_delete), waiting for `cloudsync approve`. */
export type RunState = "RUNNING" | "SUCCESS" | "FAILED" | "ABORTED" | "HELD";

/** A person's leave for one run to delete beyond max_delete, after a run was HELD. */
export interface Approval {
  task: string;
  /** The HELD run it answers. */
  held_run: string;
  /** Who approved: the user's name (and where, for the dashboard). */
  by: string;
  at: string;
  host: string;
}

export type RecordKind = "run" | "check";

/** What a check found, by file: in both and equal, different, on one side only, unreadable. */
export interface CheckCounts {
  matched: number;
  differ: number;
  missing_on_remote: number;
  missing_on_local: number;
  errors: number;
}

/** A process group as recorded: enough to end it later, and to tell it from a reused pid. */
export interface ProcessGroup {
  pgid: number;
  /** The leader's start time (clock ticks since boot), or null where unknown. */
  started: string | null;
}

export interface RunRecord {
  id: string;
  /** A transfer, or a verification (check) of what the remote holds. */
  kind: RecordKind;
  /** One more than the task's previous run: the order of runs, whatever the clock did meanwhile. */
  seq: number;
  task: string;
  state: RunState;
  dry_run: boolean;
  trigger: "manual" | "schedule";
  started_at: string;
  finished_at: string | null;
  bytes: number;
  files: number;
  deletes: number;
  checks: number;
  /** The meaningful last error lines, not the whole log. */
  error: string | null;
  attempts: number;
  /** The cloudsync process running it, so another process can tell whether it still runs. */
  pid: number;
  /** The boot the run happened in: a process group of another boot (or host) is not ours to end. */
  boot_id: string | null;
  /** The process group of the script, rclone or snapshot command running now, so a later start can end what a dead run left. */
  process_group: ProcessGroup | null;
  /** A check's findings; null for runs (and a check until it has them). */
  check: CheckCounts | null;
  /** The approval this run used to delete beyond max_delete, if any (absent in records from before approvals). */
  approval?: Approval | null;
  /** Each destination's own outcome, for a task with `destinations` (absent otherwise): the totals above are their sums. */
  destinations?: Record<string, DestinationOutcome> | null;
  /** rclone's latest figures while it runs (all destinations at once), for other processes to show its progress. */
  progress?: RcloneStats | null;
}

/** How a run (or check) went at one of its task's destinations. */
export interface DestinationOutcome {
  state: RunState;
  started_at: string | null;
  finished_at: string | null;
  bytes: number;
  files: number;
  deletes: number;
  checks: number;
  attempts: number;
  error: string | null;
  /** A check's findings there. */
  check: CheckCounts | null;
  /** The rclone running for it now, so a later start can end what a dead run left. */
  process_group: ProcessGroup | null;
}

export const startedDestination = (at: string): DestinationOutcome => ({ state: "RUNNING", started_at: at, finished_at: null, bytes: 0, files: 0, deletes: 0, checks: 0, attempts: 0, error: null, check: null, process_group: null });

/** The process groups a run may have left: its own (a script, a snapshot, a single destination's rclone) and each destination's. */
export const processGroupsOf = (record: RunRecord): ProcessGroup[] =>
  [record.process_group, ...Object.values(record.destinations ?? {}).map((d) => d.process_group)].filter((g): g is ProcessGroup => g !== null);

/** A record whose running parts are over: the run, and each destination still RUNNING in it. */
export function endedAs(record: RunRecord, state: RunState, error: string, at: string | null): RunRecord {
  const destinations = record.destinations && Object.fromEntries(Object.entries(record.destinations).map(([name, d]) => [name, d.state === "RUNNING" ? { ...d, state, error, finished_at: at, process_group: null } : d]));
  return { ...record, state, error, finished_at: at, process_group: null, ...(destinations ? { destinations } : {}) };
}

/** A record as a run (or check) starts it: RUNNING, nothing counted yet. */
export function startedRecord(start: Pick<RunRecord, "id" | "kind" | "task" | "dry_run" | "trigger" | "started_at" | "pid" | "boot_id">): RunRecord {
  return { ...start, seq: 0, state: "RUNNING", finished_at: null, bytes: 0, files: 0, deletes: 0, checks: 0, error: null, attempts: 0, process_group: null, check: null };
}

/** Why a run that a dead process left RUNNING is over. */
export const DIED = "the cloudsync process running it stopped unexpectedly";

/**
 * A record as it stands for readers (status, history, the web page): a run
 * still marked RUNNING whose process is gone is shown ABORTED, without
 * changing the record (only the next start of the task, or of watch, does).
 */
export function asSeen(record: RunRecord, holderGone: boolean): RunRecord {
  if (record.state !== "RUNNING" || !holderGone) return record;
  return endedAs(record, "ABORTED", DIED, record.finished_at);
}

/** The newest successful real run among a task's records (newest first), if any. */
export function lastSuccess(records: readonly RunRecord[]): (RunRecord & { finished_at: string }) | undefined {
  return records.find((r): r is RunRecord & { finished_at: string } => r.kind === "run" && r.state === "SUCCESS" && !r.dry_run && r.finished_at !== null);
}

/** A record of an older version, with the fields added since at the values it meant. */
export function withDefaults(record: RunRecord): RunRecord {
  return { ...record, kind: record.kind ?? "run", check: record.check ?? null };
}

const RUN_STATES: ReadonlySet<unknown> = new Set(["RUNNING", "SUCCESS", "FAILED", "ABORTED", "HELD"]);
const isTime = (value: unknown) => typeof value === "string" && !Number.isNaN(Date.parse(value));

/** Whether a parsed record file is the record `id` of `task` (a hand-edited or foreign file is not). */
export function isRecordOf(value: unknown, task: string, id: string): value is RunRecord {
  if (value === null || typeof value !== "object") return false;
  const record = value as Partial<Record<keyof RunRecord, unknown>>;
  return (
    record.id === id &&
    record.task === task &&
    RUN_STATES.has(record.state) &&
    isTime(record.started_at) &&
    (record.finished_at === null || isTime(record.finished_at)) &&
    [record.bytes, record.files, record.deletes, record.checks].every((n) => typeof n === "number")
  );
}

/** A task's all-time counts of finished real runs, kept apart from the records (which are pruned): counters that never go back. */
export interface Counters {
  /** Finished real runs by state. */
  runs: Partial<Record<Exclude<RunState, "RUNNING">, number>>;
  /** Bytes transferred by real runs, all time. */
  bytes: number;
}
