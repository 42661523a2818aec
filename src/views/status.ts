import type { StatusReport } from "../model/results.js";
import { describeHolder } from "../model/lock.js";
import { formatBytes, formatLocal } from "./format.js";
import { progressJson } from "./progress.js";
import { recordJson } from "./record.js";
import { scheduleInWords } from "./schedule.js";

/** `status --json`, and the web API's task list. */
export function statusJson(report: StatusReport) {
  return {
    state_dir: report.state_dir,
    timezone: report.timezone,
    serial: report.serial,
    applied_at: report.applied_at,
    service: report.service && { pid: report.service.pid, host: report.service.host, since: report.service.since, command: report.service.command },
    pending_changes: report.pending_changes,
    tasks: report.tasks.map((t) => ({
      name: t.name,
      description: t.description,
      direction: t.direction,
      transfer_mode: t.transfer_mode,
      path: t.path,
      remote: t.remote,
      enabled: t.enabled,
      schedule: t.schedule,
      schedule_words: scheduleInWords(t.schedule),
      state: t.state,
      last_run: t.last_run && recordJson(t.last_run),
      last_error: t.last_error,
      last_success: t.last_success,
      last_check: t.last_check && recordJson(t.last_check),
      next_run: t.next_run,
      next_check: t.next_check,
      destinations: t.destinations,
      running: t.running && { ...recordJson(t.running), progress: t.running.progress ? progressJson(t.running.progress) : null },
      recent: t.recent.map((r) => ({ id: r.id, kind: r.kind, state: r.state, dry_run: r.dry_run, started_at: r.started_at, finished_at: r.finished_at })),
      encrypted: t.encrypted,
      overdue: t.overdue,
    })),
  };
}

export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd()).join("\n");
}

/** `status` for people: the table, the service, each failing task's error, unapplied changes. */
export function renderStatus(report: StatusReport, configName: string): string {
  const { timezone } = report;
  const lines: string[] = [];
  if (report.serial === 0) lines.push(`Nothing is applied yet (state: ${report.state_dir}). Run cloudsync plan, then cloudsync apply.`);
  else if (report.tasks.length === 0) lines.push("No tasks are applied.");
  else {
    // Checks get a column only where some task schedules one.
    const checks = report.tasks.some((t) => t.next_check !== null);
    const at = (iso: string | null) => (iso ? formatLocal(new Date(iso), timezone) : "-");
    const rows = [["TASK", "ENABLED", "SCHEDULE", "STATE", "LAST RUN", `NEXT RUN (${timezone ?? "system time"})`, ...(checks ? ["NEXT CHECK"] : [])]];
    for (const t of report.tasks) {
      const last = t.last_run ? `${formatLocal(new Date(t.last_run.started_at), timezone)}${t.state === "RUNNING" ? ` (${formatBytes(t.last_run.bytes)} so far)` : ""}` : "-";
      rows.push([t.name, t.enabled ? "yes" : "no", t.schedule ? `${t.schedule} (${scheduleInWords(t.schedule)})` : "-", t.state, last, at(t.next_run), ...(checks ? [at(t.next_check)] : [])]);
      // Each destination beneath its task: its own state and when it last finished.
      for (const d of t.destinations ?? []) rows.push([`  → ${d.name}`, "", d.remote, d.state, d.finished_at ? formatLocal(new Date(d.finished_at), timezone) : "-", "", ...(checks ? [""] : [])]);
    }
    lines.push(table(rows));
    const failing = report.tasks.filter((t) => (t.state === "FAILED" || t.state === "ABORTED" || t.state === "HELD") && t.last_run?.error);
    if (failing.length > 0) {
      lines.push("", "Last errors:");
      for (const t of failing) lines.push(`  ${t.name} (run ${t.last_run!.id}): ${t.last_run!.error!.split("\n")[0]}`);
    }
  }
  if (report.serial > 0) lines.push("", report.service ? `Served by ${describeHolder(report.service)}.` : "No cloudsync watch is serving this state directory.");
  if (report.pending_changes) lines.push("", `${configName} has changes that are not applied; cloudsync plan shows them.`);
  return lines.join("\n");
}
