import { checkSummary } from "../rclone/check.js";
import type { DestinationOutcome, RunRecord } from "../model/run-record.js";
import { formatBytes, formatDuration } from "./format.js";

export const durationMs = (record: Pick<RunRecord, "started_at" | "finished_at">) => (record.finished_at ? Date.parse(record.finished_at) - Date.parse(record.started_at) : null);

/** A destination's outcome as JSON shows it: none of the bookkeeping. */
export const destinationJson = (d: DestinationOutcome) => ({
  state: d.state,
  started_at: d.started_at,
  finished_at: d.finished_at,
  bytes: d.bytes,
  files: d.files,
  deletes: d.deletes,
  checks: d.checks,
  attempts: d.attempts,
  error: d.error,
  ...(d.check ? { check: d.check } : {}),
});

/** Each destination's outcome, by name; null for a task of one destination. */
const destinationsJson = (record: RunRecord) => (record.destinations ? Object.fromEntries(Object.entries(record.destinations).map(([name, d]) => [name, destinationJson(d)])) : null);

/** A run or check record as every JSON output shows it: what it did, none of the bookkeeping (pids, process groups). */
export function recordJson(record: RunRecord) {
  return {
    id: record.id,
    kind: record.kind,
    task: record.task,
    state: record.state,
    dry_run: record.dry_run,
    trigger: record.trigger,
    started_at: record.started_at,
    finished_at: record.finished_at,
    duration_ms: durationMs(record),
    bytes: record.bytes,
    files: record.files,
    deletes: record.deletes,
    checks: record.checks,
    attempts: record.attempts,
    error: record.error,
    /** The approval a run used to delete beyond max_delete, after a HELD run. */
    approval: record.approval ?? null,
    destinations: destinationsJson(record),
    // A check's findings (matched, differ, missing_on_remote, missing_on_local, errors), once, beside the rest.
    ...(record.kind === "check" ? (record.check ?? {}) : {}),
  };
}

/** `run TASK --json`: SPEC's shape, one object at the end. */
export function runJson(record: RunRecord) {
  return {
    task: record.task,
    run_id: record.id,
    state: record.state,
    dry_run: record.dry_run,
    bytes: record.bytes,
    files: record.files,
    deletes: record.deletes,
    checks: record.checks,
    attempts: record.attempts,
    duration_ms: durationMs(record),
    error: record.error,
    destinations: destinationsJson(record),
  };
}

/** The one-line outcome of a run or check, as `run` and `check` print it and the service logs it. */
export function outcomeLine(record: RunRecord): string {
  const duration = record.finished_at ? formatDuration(durationMs(record)!) : "-";
  const error = record.error ? `\n${record.error}` : "";
  const each = record.destinations ? ` (${Object.entries(record.destinations).map(([name, d]) => `${name} ${d.state}`).join(", ")})` : "";
  if (record.kind === "check") return `Check ${record.id} of ${record.task}: ${record.state}${each}${record.check ? ` — ${checkSummary(record.check)}` : ""}, in ${duration}${error}`;
  const what = `${record.files} file${record.files === 1 ? "" : "s"}, ${formatBytes(record.bytes)}, ${record.deletes} deleted`;
  return `Run ${record.id} of ${record.task}${record.dry_run ? " (dry run)" : ""}: ${record.state}${each} — ${what}, in ${duration}${error}`;
}
