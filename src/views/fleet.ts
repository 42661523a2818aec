import type { FleetView } from "../model/fleet.js";
import { formatDuration, formatLocal } from "./format.js";
import { table } from "./status.js";

/** `fleet --json` and GET /api/v1/fleet: the view as read (nothing in it is secret: hosts publish no secret). */
export const fleetJson = (view: FleetView) => view;

const COUNTED = ["FAILED", "HELD", "RUNNING", "ABORTED", "SUCCESS", "PENDING"] as const;

/** `fleet` for people: one line per host, then one row per host and task; untrusted hosts apart, never merged. */
export function renderFleet(view: FleetView, timezone: string | null): string {
  const now = Date.parse(view.read_at);
  const at = (iso: string | null) => (iso ? formatLocal(new Date(iso), timezone) : "-");
  const lines: string[] = [];
  if (view.hosts.length === 0) return `No host has written to ${view.folder} yet.`;
  for (const host of view.hosts) {
    if (!host.trusted) {
      lines.push(`${host.host}  UNTRUSTED: ${host.problem}`);
      continue;
    }
    const counts = COUNTED.filter((s) => host.counts[s] > 0).map((s) => `${host.counts[s]} ${s}`);
    const silent = host.last_seen ? formatDuration(Math.max(0, now - Date.parse(host.last_seen))) : "?";
    lines.push(`${host.host}  ${host.stale ? `STALE: silent for ${silent}` : `seen ${silent} ago`}  ${counts.join(", ") || "no tasks"}${host.overdue > 0 ? `, ${host.overdue} overdue` : ""}  (cloudsync ${host.cloudsync}, rclone ${host.rclone ?? "?"}, serial ${host.serial})`);
  }
  const rows = [["HOST", "TASK", "STATE", "LAST RUN", "LAST SUCCESS", "NEXT RUN", "FLAGS"]];
  for (const host of view.hosts.filter((h) => h.trusted)) {
    for (const task of host.tasks) {
      const flags = [host.stale ? "host STALE" : "", task.overdue ? "overdue" : "", task.held ? "held" : "", task.enabled ? "" : "disabled"].filter(Boolean).join(", ");
      rows.push([host.host, task.name, task.state, at(task.last_run?.finished_at ?? null), at(task.last_success), at(task.next_run), flags || "-"]);
      for (const d of task.destinations ?? []) rows.push([host.host, `  ${task.name} → ${d.name}`, d.state, at(d.finished_at), "", "", d.error ? d.error.slice(0, 60) : ""]);
    }
  }
  if (rows.length > 1) lines.push("", table(rows));
  lines.push("", `${view.hosts.length} host(s) in ${view.folder}; STALE after ${view.stale_after} of silence. Times: ${timezone ?? "system time"}.`);
  return lines.join("\n");
}
