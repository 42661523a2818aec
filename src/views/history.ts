import type { RunRecord } from "../model/run-record.js";
import { formatBytes, formatDuration, formatLocal } from "./format.js";
import { durationMs, recordJson } from "./record.js";
import { table } from "./status.js";

/** `history --json`: newest first. */
export function historyJson(records: RunRecord[]) {
  return { runs: records.map(recordJson) };
}

export function renderHistory(records: RunRecord[], timezone: string | null): string {
  if (records.length === 0) return "No runs yet.";
  const rows = [["ID", "TASK", "KIND", "STATE", "STARTED", "DURATION", "BYTES", "FILES", "DELETES", "ERROR"]];
  for (const r of records) {
    const ms = durationMs(r);
    rows.push([
      r.id,
      r.task,
      r.dry_run ? `${r.kind} (dry)` : r.kind,
      r.state,
      formatLocal(new Date(r.started_at), timezone),
      ms === null ? "-" : formatDuration(ms),
      formatBytes(r.bytes),
      String(r.files),
      String(r.deletes),
      r.error ? r.error.split("\n")[0]!.slice(0, 60) : "",
    ]);
    // Each destination of the run beneath it.
    for (const [name, d] of Object.entries(r.destinations ?? {})) {
      rows.push(["", `  → ${name}`, "", d.state, "", d.finished_at && d.started_at ? formatDuration(Date.parse(d.finished_at) - Date.parse(d.started_at)) : "-", formatBytes(d.bytes), String(d.files), String(d.deletes), d.error ? d.error.split("\n")[0]!.slice(0, 60) : ""]);
    }
  }
  return table(rows);
}
