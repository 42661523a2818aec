import type { FolderAt, PathVersions, RestoreAtResult, VersionsReport } from "../model/results.js";
import type { Approval } from "../model/run-record.js";
import { formatBytes, formatLocal } from "./format.js";
import { table } from "./status.js";

/** `versions TASK --json`. */
export const versionsJson = (report: VersionsReport) => ({ task: report.task, keep: report.keep, place: report.place, folders: report.folders });

/** `versions TASK PATH --json`. */
export const pathVersionsJson = (found: PathVersions) => ({ task: found.task, path: found.path, versions: found.versions, current: found.current });

/** `restore TASK --at TIME --json`. */
export const restoreAtJson = (result: RestoreAtResult) => ({ task: result.task, at: result.at, to: result.to, dry_run: result.dry_run, files: result.files, bytes: result.bytes });

/** A folder as it was at a time, for the dashboard's versions browser. */
export const folderAtJson = (folder: FolderAt) => ({ task: folder.task, at: folder.at, path: folder.path, entries: folder.entries });

export const approvalJson = (approval: Approval) => ({ task: approval.task, held_run: approval.held_run, by: approval.by, at: approval.at, host: approval.host });

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** The version folders for people: when each was replaced, what it holds, when it goes. */
export function renderVersions(report: VersionsReport, timezone: string | null): string {
  const keeps = report.keep ? `kept for ${report.keep}` : "the task keeps no versions now (versions:)";
  if (report.folders.length === 0) return `No versions of ${report.task} at ${report.place} (${keeps}).`;
  const rows = [["REPLACED", "FOLDER", "FILES", "SIZE", "EXPIRES"]];
  for (const f of report.folders) rows.push([formatLocal(new Date(f.replaced_at), timezone), f.stamp, String(f.files), formatBytes(f.bytes), f.expires_at ? formatLocal(new Date(f.expires_at), timezone) : "-"]);
  return `Versions of ${report.task} at ${report.place} (${keeps}):\n${table(rows)}`;
}

/** Every kept version of a file or folder for people, and what is there now. */
export function renderPathVersions(found: PathVersions, timezone: string | null): string {
  const lines: string[] = [];
  if (found.versions.length === 0) lines.push(`No versions of ${found.path} are kept.`);
  else {
    const rows = [["REPLACED", "FOLDER", "PATH", "SIZE", "MODIFIED"]];
    for (const v of found.versions) rows.push([formatLocal(new Date(v.replaced_at), timezone), v.stamp, v.path, formatBytes(v.size), formatLocal(new Date(v.modified), timezone)]);
    lines.push(table(rows));
  }
  lines.push("", found.current.length === 0 ? `${found.path} is not at the destination now.` : `Now at the destination: ${found.current.map((f) => `${f.path} (${formatBytes(f.size)}, modified ${formatLocal(new Date(f.modified), timezone)})`).join(", ")}`);
  return lines.join("\n");
}

/** What a restore to a point in time wrote (or would write). */
export function renderRestoreAt(result: RestoreAtResult, timezone: string | null): string {
  const from = (f: RestoreAtResult["files"][number]) => (f.from === "current" ? "" : `  (version of ${f.from})`);
  const listed = result.files.map((f) => `  ${f.path}${from(f)}`);
  const when = formatLocal(new Date(result.at), timezone);
  const head = result.dry_run ? `Would restore ${plural(result.files.length, "file")} (${formatBytes(result.bytes)}) of ${result.task} as at ${when} into ${result.to}:` : `Restored ${plural(result.files.length, "file")} (${formatBytes(result.bytes)}) of ${result.task} as at ${when} into ${result.to}.`;
  return result.dry_run ? [head, ...listed].join("\n") : head;
}

export const approvalLine = (approval: Approval) =>
  `Approved: the next run of ${approval.task} may delete beyond max_delete, once (run ${approval.held_run} was held; approved by ${approval.by} on ${approval.host} at ${approval.at}).`;
