// How a transfer or a check by rclone ended, judged from what was seen of it:
// its exit code or signal, its error lines, and what the run counted
// meanwhile. Pure, so that every outcome is a case in a table.
import type { TaskSpec } from "../model/config.js";
import type { CheckCounts } from "../model/run-record.js";
import { judge } from "./check.js";
import { exitMeaning, isRetryable, unknownFlagHint } from "./exit-codes.js";
import { describeRemoteFailure } from "./remote-errors.js";

/** The error lines a failure quotes, at most. */
const ERROR_EXCERPT_LINES = 5;

export interface TransferSeen {
  code: number | null;
  signal: NodeJS.Signals | null;
  errorLines: readonly string[];
  /** The --max-delete the attempt ran with, if any. */
  maxDelete: number | null;
  dryRun: boolean;
  /** Where deletions happen, as the user knows the place (for the deletion limit's message). */
  deletingAt: string;
  /** Whether the task is encrypted, and how many names or files rclone could not decrypt. */
  encrypted: boolean;
  undecryptable: number;
  /** Whether the attempt transferred or checked anything. */
  progressed: boolean;
  /** The task's rclone_args, to tell a typo there from an rclone too old. */
  userArgs: readonly string[];
  /** Hides secrets in what is quoted. */
  redact: (text: string) => string;
}

export type TransferVerdict =
  | { kind: "succeeded"; warning: string | null }
  /** rclone stopped at the deletion limit: the run fails, and counts at most `maxDelete` deletions. */
  | { kind: "deletion-limit"; reason: string; maxDelete: number }
  | { kind: "failed"; reason: string; retryable: boolean; summary: string };

/** Whether rclone stopped because the run reached --max-delete. */
export const reachedDeletionLimit = (errorLines: readonly string[]) => errorLines.some((line) => line.includes("--max-delete threshold reached"));

/** The last error lines, secrets hidden: what a failure quotes. */
export const errorExcerpt = (errorLines: readonly string[], redact: (text: string) => string) => errorLines.slice(-ERROR_EXCERPT_LINES).map(redact).join("\n");

export function judgeTransfer(seen: TransferSeen): TransferVerdict {
  const { maxDelete } = seen;
  if (maxDelete !== null && reachedDeletionLimit(seen.errorLines)) {
    const done = seen.dryRun ? "nothing was deleted (dry run)" : `it stopped after deleting ${maxDelete}`;
    return { kind: "deletion-limit", maxDelete, reason: `max_delete: this run would delete more than ${maxDelete} file${maxDelete === 1 ? "" : "s"} at ${seen.deletingAt}; ${done}` };
  }
  const n = seen.undecryptable;
  const decryption = seen.encrypted && n > 0 ? `${n} name${n === 1 ? "" : "s"} or file${n === 1 ? "" : "s"} could not be decrypted: is the encryption password (and salt) right?` : null;
  // Nothing could be read: a wrong password, not a passing fault; retrying will not help.
  if (decryption && (seen.code !== 0 || !seen.progressed)) return { kind: "failed", reason: decryption, retryable: false, summary: "decryption failed" };
  if (seen.code === 0) return { kind: "succeeded", warning: decryption };

  const excerpt = errorExcerpt(seen.errorLines, seen.redact);
  // A remote that refused, timed out or was not there is said as such (rclone's exit code 1 means anything).
  const remote = describeRemoteFailure(seen.errorLines.map(seen.redact));
  const meaning = unknownFlagHint(seen.errorLines, seen.userArgs) ?? (remote.kind !== "other" ? remote.message : exitMeaning(seen.code, seen.signal));
  return { kind: "failed", reason: `${meaning}${excerpt ? `\n${excerpt}` : ""}`, retryable: isRetryable(seen.code ?? -1), summary: exitMeaning(seen.code, seen.signal) };
}

/**
 * How a check by rclone ended: what it found against what the task promises, or (rclone's exit 1
 * means "differences found" as well as a failure) that it could not be made when it found nothing.
 */
export function judgeCheck(
  seen: Pick<TransferSeen, "code" | "signal" | "errorLines" | "redact"> & { counts: CheckCounts },
  task: Pick<TaskSpec, "direction" | "transfer_mode" | "path">,
): { ok: true } | { ok: false; reason: string } {
  const { counts } = seen;
  if (seen.code !== 0 && counts.differ + counts.errors + counts.missing_on_local + counts.missing_on_remote === 0) {
    const excerpt = errorExcerpt(seen.errorLines, seen.redact);
    return { ok: false, reason: `the check could not be made: ${exitMeaning(seen.code, seen.signal)}${excerpt ? `\n${excerpt}` : ""}` };
  }
  const verdict = judge(counts, task);
  return verdict.ok ? { ok: true } : { ok: false, reason: `the remote does not hold what ${task.path} holds: ${verdict.summary}` };
}
