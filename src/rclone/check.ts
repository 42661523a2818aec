// rclone check and cryptcheck: the command line, and what its reports say
// about a task's remote. rclone writes a list of the files in each kind of
// finding (* differs, + only in the first place, - only in the second, !
// could not be read) and logs how many matched: a file per matching file (the
// combined report) cost ~4 % of a 10,000-file check for lines nobody reads.
import { join } from "node:path";
import type { TaskSpec } from "../model/config.js";
import type { CheckCounts } from "../model/run-record.js";
import { bandwidthOf, endpoints, type RemoteConfig } from "./command.js";

export type Mark = "=" | "*" | "-" | "+" | "!";

/** The lists rclone writes, by the mark of their files, and each one's file name. */
export const REPORTS = { "*": "differ", "+": "missing-on-dst", "-": "missing-on-src", "!": "error" } as const satisfies Record<Exclude<Mark, "=">, string>;
export type ReportMark = keyof typeof REPORTS;

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
 * The lists go to files in `reportDir`; remote-only files are judged by
 * `judge`, not by rclone, so no --one-way.
 */
export function buildCheckInvocation(task: TaskSpec, remotes: RemoteConfig, options: { download: boolean; filterFile: string; reportDir: string; localSource?: string | null; timezone?: string | null }): CheckInvocation {
  // A check reads what it compares (all of it, with download): the task's bandwidth limit holds for it too.
  const bandwidth = bandwidthOf(task, options.timezone);
  const reports = Object.values(REPORTS).flatMap((name) => [`--${name}`, join(options.reportDir, name)]);
  const common = [...reports, "--filter-from", options.filterFile, "--use-json-log", "--stats", "1s", "--stats-log-level", "NOTICE", ...bandwidth.args, ...(task.follow_symlinks ? ["--copy-links"] : []), ...(task.fast_list ? ["--fast-list"] : [])];
  const local = options.localSource ?? task.path;
  if (task.encryption && !options.download) return { args: ["cryptcheck", local, remotes.remote, ...task.rclone_args, ...common], env: bandwidth.env, localIs: "first" };
  const { source, destination } = endpoints(task, remotes.remote, local);
  return { args: ["check", source, destination, ...task.rclone_args, ...common, ...(options.download ? ["--download"] : [])], env: bandwidth.env, localIs: task.direction === "push" ? "first" : "second" };
}

/** How many files matched, from rclone's log line saying so ("10000 matching files"), or null for another line. */
export function matchingFiles(message: string): number | null {
  const found = /^(\d+) matching files$/.exec(message);
  return found ? Number(found[1]) : null;
}

/** The findings as counts for the remote and the local side: how many matched, and the files of each list. */
export function tally(matched: number, found: Readonly<Record<ReportMark, number>>, localIs: "first" | "second"): CheckCounts {
  // "+": only in the first place, so missing in the second; "-": the reverse.
  const [onlyFirst, onlySecond] = [found["+"], found["-"]];
  return {
    matched,
    differ: found["*"],
    missing_on_remote: localIs === "first" ? onlyFirst : onlySecond,
    missing_on_local: localIs === "first" ? onlySecond : onlyFirst,
    errors: found["!"],
  };
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
