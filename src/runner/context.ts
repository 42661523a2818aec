// What every step of a run works with: the run's context (its record, log,
// filters, snapshot, the one redactor), and for each destination it writes
// to, that destination's own part (its task settings, remotes, outcome, log
// prefix). A task with `credential` has one destination, without a name,
// whose outcome is the run's own.
import { setTimeout as sleep } from "node:timers/promises";
import { durationMs, type Settings, type TaskSpec } from "../model/config.js";
import type { RcloneStats } from "../model/progress.js";
import { startedDestination, type Approval, type CheckCounts, type DestinationOutcome, type RunRecord } from "../model/run-record.js";
import type { RemoteConfig } from "../rclone/command.js";
import type { Redact } from "../secrets/secrets.js";
import { RunLogs } from "../state/run-logs.js";
import type { RunRecords } from "../state/run-records.js";
import type { GuardContext } from "./guards.js";
import type { RunRequest } from "./run-task.js";
import type { Snapshot, SnapshotTools } from "./snapshot.js";

/** Why a run stops before it succeeds: aborted by someone, or out of time. */
export type StopReason = "abort" | "timeout";

/** How a run (or one destination of it) ends when it does not succeed. */
export interface Failure {
  state: "FAILED" | "ABORTED" | "HELD";
  error: string;
}

export interface RunContext {
  readonly request: RunRequest;
  /** The task as written: its source side, scripts and schedule. */
  readonly spec: TaskSpec;
  readonly settings: Settings;
  readonly store: RunRecords;
  readonly signal: AbortSignal;
  readonly graceMs: number;
  readonly filterPath: string;
  /** The run's private temporary directory (the filter file, a check's lists), removed when it ends. */
  readonly tempDir: string;
  readonly scriptEnv: NodeJS.ProcessEnv;
  record: RunRecord;
  /** Where the local side is read from: the task's path, or its snapshot. */
  localSource: string;
  snapshot: Snapshot | undefined;
  /** The destinations this run writes to (or checks), in the file's order. */
  readonly destinations: DestinationRun[];
  /** The approval this run took to delete beyond max_delete, if any. */
  approval: Approval | null;
  /** How the destinations went, when a post-script still runs after some of them failed. */
  deferred: Failure | null;
  /** Every secret of the applied configuration, in any form, replaced: for what came from elsewhere. */
  readonly redact: Redact;
  /** A line of cloudsync's own, as it is: redaction never rewrites cloudsync's wording. */
  note(line: string): void;
  /** A line from rclone or a script (after an optional prefix of ours), redacted. */
  relay(line: string, prefix?: string): void;
  /** Changes the record and saves it. A save that fails (a full disk) is kept and thrown after the step, never inside a child process's event. */
  update(patch: Partial<RunRecord>): void;
  /** Tells the caller how far the run has got (rclone's figures of every destination at once). */
  progress(): void;
  saveError: unknown;
}

export interface DestinationRun {
  /** Its name under `destinations`; null for a task's only, implicit destination. */
  readonly name: string | null;
  /** The task as it runs for this destination. */
  readonly spec: TaskSpec;
  /** Its remotes, obscured once, so every rclone for it carries (and every log redacts) the same forms. */
  readonly remotes: RemoteConfig;
  outcome: DestinationOutcome;
  /** rclone's latest figures for it, while it runs. */
  stats: RcloneStats | null;
  /** Lines about this destination, prefixed with its name in the run's log. */
  note(line: string): void;
  relay(line: string): void;
  /** Changes its outcome (and the run's totals); saved unless `save` is false (progress, saved about once a second). */
  update(patch: Partial<DestinationOutcome>, save?: boolean): void;
}

export type Step = (context: RunContext) => Promise<Failure | null>;

export const failed = (error: string): Failure => ({ state: "FAILED", error });

/** Where a destination's rclone writes its log while it runs (each destination's apart: they may run at once). */
export const rcloneLogFile = (context: RunContext, destination: DestinationRun) => new RunLogs(context.request.stateDir).rclonePath(context.request.task, context.record.id, destination.name);

export function stopped(context: RunContext): Failure | null {
  if (!context.signal.aborted) return null;
  const reason = context.signal.reason as StopReason;
  return reason === "timeout" ? failed(`stopped after the timeout of ${context.spec.timeout}`) : { state: "ABORTED", error: "aborted" };
}

/** The run's totals: the sums over its destinations (the most attempts any of them took). */
function totals(outcomes: readonly DestinationOutcome[]): Pick<RunRecord, "bytes" | "files" | "deletes" | "checks" | "attempts" | "check"> {
  const sum = (key: "bytes" | "files" | "deletes" | "checks") => outcomes.reduce((total, o) => total + o[key], 0);
  const checked = outcomes.filter((o) => o.check !== null).map((o) => o.check!);
  const found = (key: keyof CheckCounts) => checked.reduce((total, c) => total + c[key], 0);
  const check = checked.length === 0 ? null : { matched: found("matched"), differ: found("differ"), missing_on_remote: found("missing_on_remote"), missing_on_local: found("missing_on_local"), errors: found("errors") };
  return { bytes: sum("bytes"), files: sum("files"), deletes: sum("deletes"), checks: sum("checks"), attempts: Math.max(0, ...outcomes.map((o) => o.attempts)), check };
}

/** rclone's figures of several destinations at once, as one: what the progress bar shows. */
export function combinedStats(all: readonly RcloneStats[]): RcloneStats {
  const sum = (key: keyof RcloneStats) => all.reduce((total, s) => total + (s[key] ?? 0), 0);
  const etas = all.map((s) => s.eta).filter((eta): eta is number => eta !== null);
  return {
    bytes: sum("bytes"),
    totalBytes: sum("totalBytes"),
    speed: sum("speed"),
    eta: etas.length === all.length && etas.length > 0 ? Math.max(...etas) : null,
    transfers: sum("transfers"),
    totalTransfers: sum("totalTransfers"),
    checks: sum("checks"),
    deletes: sum("deletes"),
    errors: sum("errors"),
    elapsedTime: Math.max(0, ...all.map((s) => s.elapsedTime)),
  };
}

/** A destination's part of the run: for a named one an outcome of its own in the record; for the implicit one, the run's. */
export function destinationRun(context: RunContext, name: string | null, spec: TaskSpec, remotes: RemoteConfig): DestinationRun {
  const prefix = name === null ? "" : `[${name}] `;
  const run: DestinationRun = {
    name,
    spec,
    remotes,
    outcome: startedDestination(context.record.started_at),
    stats: null,
    note: (line) => context.note(`${prefix}${line}`),
    relay: (line) => context.relay(line, prefix),
    update: (patch, save = true) => {
      run.outcome = { ...run.outcome, ...patch };
      if (name === null) {
        const { bytes, files, deletes, checks, attempts, check, process_group } = run.outcome;
        const changes = { bytes, files, deletes, checks, attempts, check, process_group };
        if (save) context.update(changes);
        else context.record = { ...context.record, ...changes };
        return;
      }
      const destinations = { ...context.record.destinations, [name]: run.outcome };
      const changes = { destinations, ...totals(Object.values(destinations)) };
      if (save) context.update(changes);
      else context.record = { ...context.record, ...changes };
    },
  };
  return run;
}

export const snapshotTools = (context: RunContext): SnapshotTools => ({ env: context.request.env, signal: context.signal, graceMs: context.graceMs });

/** What the guards need of a destination (or of the task's source, through its first destination). */
export const guardContext = (context: RunContext, destination: DestinationRun): GuardContext => ({
  spec: destination.spec,
  remotes: destination.remotes,
  rclone: context.settings.rclone,
  env: context.request.env,
  filterPath: context.filterPath,
  localSource: context.localSource,
  signal: context.signal,
  graceMs: context.graceMs,
  redact: context.redact,
  onSpawn: (group) => destination.update({ process_group: group }),
});

/** After a failure that may pass: wait and go round again (attempt `attempts` of retries + 1), or give up. */
export async function retryOrFail(context: RunContext, attempts: number, reason: string, retryable: boolean, summary: string, note: (line: string) => void): Promise<Failure | "retry"> {
  const { spec } = context;
  if (!retryable || attempts > spec.retries) return failed(reason);
  const delay = durationMs(spec.retry_delay) * 2 ** (attempts - 1);
  note(`--- attempt ${attempts} failed (${summary}); retrying in ${Math.round(delay / 1000)}s`);
  try {
    await sleep(delay, undefined, { signal: context.signal });
  } catch {
    return stopped(context)!;
  }
  return "retry";
}
