import { formatDiagnostic } from "../model/diagnostics.js";
import type { Level, Stamped } from "../model/events.js";
import { summaryLine } from "./plan.js";
import { outcomeLine } from "./record.js";

/** More changes at once than this get one line (a large file's start), not one each. */
const MAX_LINES_PER_CHANGE = 20;

export interface LogLine {
  level: Level;
  text: string;
}

const info = (text: string): LogLine => ({ level: "info", text });

/** The service log: each event as the lines people read; progress is left out. */
export function serviceLogLines(event: Stamped): LogLine[] {
  switch (event.type) {
    case "service.started":
      return [info(`watching ${event.config} (state: ${event.state_dir})`)];
    case "service.stopping":
      return [info(`${event.reason}: stopping (runs in progress are aborted)`)];
    case "apply.completed":
      // A save that changes nothing applied is not news.
      return event.changes.length === 0 ? [] : [info(`${event.reason}: applied. ${summaryLine({ changes: event.changes, summary: event.summary })}`)];
    case "config.rejected":
      return [
        ...event.diagnostics.map((d) => ({ level: d.severity, text: formatDiagnostic(d) })),
        { level: "error", text: `${event.reason}: the configuration has errors; the last applied configuration keeps running` },
      ];
    case "schedule.updated": {
      const lines: LogLine[] = [];
      if (event.scheduled.length > MAX_LINES_PER_CHANGE) {
        const [first] = event.scheduled.filter((t) => t.next).sort((a, b) => a.next!.localeCompare(b.next!));
        lines.push(info(`scheduled ${event.scheduled.length} tasks${first ? ` (first due: ${first.task} at ${first.next})` : ""}`));
      } else for (const t of event.scheduled) lines.push(info(`scheduled ${t.kind === "check" ? "the check of " : ""}${t.task}: ${t.schedule} (next ${t.next ?? "never"})`));
      const unscheduled = [...event.unscheduled, ...(event.unscheduled_checks ?? []).map((task) => `the check of ${task}`)];
      if (unscheduled.length > MAX_LINES_PER_CHANGE) lines.push(info(`unscheduled ${unscheduled.length} tasks`));
      else for (const task of unscheduled) lines.push(info(`unscheduled ${task}`));
      return lines;
    }
    case "run.queued":
      return [info(`${event.task} is due; waiting for a free slot (max_parallel_runs ${event.max_parallel_runs})`)];
    case "run.skipped":
      return [{ level: "warning", text: `${event.task} is due but ${event.reason}: this start is skipped` }];
    case "run.started":
      return [info(`started ${event.record.kind === "check" ? "check of " : ""}${event.record.task}: run ${event.record.id}`)];
    case "run.finished":
    case "check.finished": {
      const level: Level = event.record.state === "SUCCESS" ? "info" : event.record.state === "ABORTED" || event.record.state === "HELD" ? "warning" : "error";
      return [{ level, text: outcomeLine(event.record).replace(/\n/g, " | ") }];
    }
    case "run.approved":
      return [{ level: "warning", text: `${event.approval.by} approved run ${event.approval.held_run} of ${event.approval.task}: its next run may delete beyond max_delete, once` }];
    case "task.overdue":
      return [{ level: "warning", text: `${event.task} is overdue: its last success (${event.last_success ?? "never"}) is older than max_age ${event.max_age}` }];
    case "notice":
      return [...(event.diagnostics ?? []).map((d) => ({ level: d.severity, text: formatDiagnostic(d) })), { level: event.level, text: event.hint ? `${event.message} (${event.hint})` : event.message }];
    case "fleet.stale":
      return [{ level: "warning", text: `fleet: host ${event.host} is STALE: silent since ${event.last_seen ?? "ever"} (longer than ${event.stale_after})` }];
    case "fleet.failure":
      return [{ level: "warning", text: `fleet: on host ${event.host}, ${event.tasks.map((t) => `${t.task} FAILED (run ${t.run_id}${t.error ? `: ${t.error}` : ""})`).join("; ")}` }];
    case "run.progress":
    case "fleet.read":
      return [];
  }
}
