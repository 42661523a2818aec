// rclone check and cryptcheck: the command line, and what its combined
// report (one line per file: = same, * differs, + only in the first place
// (missing in the second), - only in the second, ! could not be read) says
// about a task's remote.
import type { TaskSpec } from "../model/config.js";
import type { CheckCounts } from "../model/run-record.js";
import { bandwidthOf, endpoints, type RemoteConfig } from "./command.js";

export type Mark = "=" | "*" | "-" | "+" | "!";

export interface CheckInvocation {
  args: string[];
  /** Beyond the remotes' environment: the zone of a bandwidth timetable. */
  env: Record<string, string>;
  /** Which side of the comparison is the local one: the first place (src) or the second (dst). */
  localIs: "first" | "second";
}

/**
 * The comparison a check of the task makes: cryptcheck of the local files
 * against the encrypted remote (hashes of what is stored, nothing
 * downloaded), or check between the task's source and destination (by hash
 * and size, or byte for byte with `download`, decrypting an encrypted remote).
 * The report goes to standard output; remote-only files are judged by
 * `judge`, not by rclone, so no --one-way.
 */
export function buildCheckInvocation(task: TaskSpec, remotes: RemoteConfig, options: { download: boolean; filterFile: string; localSource?: string | null; timezone?: string | null }): CheckInvocation {
  // A check reads what it compares (all of it, with download): the task's bandwidth limit holds for it too.
  const bandwidth = bandwidthOf(task, options.timezone);
  const common = ["--combined", "-", "--filter-from", options.filterFile, "--use-json-log", "--stats", "1s", "--stats-log-level", "NOTICE", ...bandwidth.args, ...(task.follow_symlinks ? ["--copy-links"] : []), ...(task.fast_list ? ["--fast-list"] : [])];
  const local = options.localSource ?? task.path;
  if (task.encryption && !options.download) return { args: ["cryptcheck", local, remotes.remote, ...task.rclone_args, ...common], env: bandwidth.env, localIs: "first" };
  const { source, destination } = endpoints(task, remotes.remote, local);
  return { args: ["check", source, destination, ...task.rclone_args, ...common, ...(options.download ? ["--download"] : [])], env: bandwidth.env, localIs: task.direction === "push" ? "first" : "second" };
}

/** One line of the combined report, or null if it is not one. */
export function parseReportLine(line: string): { mark: Mark; path: string } | null {
  const found = /^([=*+!-]) (.+)$/.exec(line);
  return found ? { mark: found[1] as Mark, path: found[2]! } : null;
}

/** The report's marks as counts for the remote and the local side. */
export function tally(marks: Iterable<Mark>, localIs: "first" | "second"): CheckCounts {
  const counts: CheckCounts = { matched: 0, differ: 0, missing_on_remote: 0, missing_on_local: 0, errors: 0 };
  for (const mark of marks) {
    if (mark === "=") counts.matched++;
    else if (mark === "*") counts.differ++;
    else if (mark === "!") counts.errors++;
    // "+": only in the first place, so missing in the second; "-": the reverse.
    else if ((mark === "+") === (localIs === "first")) counts.missing_on_remote++;
    else counts.missing_on_local++;
  }
  return counts;
}

/**
 * Whether the remote holds the backup: nothing differs or is unreadable,
 * nothing of the source is missing at the destination, and for a sync
 * nothing is at the destination that the source lacks (for copy and move,
 * files only at the destination are not errors).
 */
export function judge(counts: CheckCounts, task: Pick<TaskSpec, "direction" | "transfer_mode">): { ok: boolean; summary: string } {
  const missingAtDestination = task.direction === "push" ? counts.missing_on_remote : counts.missing_on_local;
  const extraAtDestination = task.direction === "push" ? counts.missing_on_local : counts.missing_on_remote;
  const extraCounts = task.transfer_mode === "sync" && extraAtDestination > 0;
  const ok = counts.differ === 0 && counts.errors === 0 && missingAtDestination === 0 && !extraCounts;
  return { ok, summary: checkSummary(counts) };
}

/** What a check found, in words: the one wording of it. */
export function checkSummary(counts: CheckCounts): string {
  return `${counts.matched} matched, ${counts.differ} differ, ${counts.missing_on_remote} missing on the remote, ${counts.missing_on_local} missing locally, ${counts.errors} unreadable`;
}
