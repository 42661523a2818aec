import type { Diagnostic } from "./model/diagnostics.js";

/**
 * A problem the user or the environment caused (a refused operation, a missing
 * program, an unwritable directory). Front ends show its message and hint
 * (the CLI as `cloudsync: error: MESSAGE`, with --json as
 * `{"error": {"message", "hint"}}`), never a stack trace.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** The configuration file has errors: they come with it, to be shown as FILE:LINE:COLUMN diagnostics. */
export class ConfigError extends UserError {
  constructor(
    readonly file: string,
    readonly diagnostics: readonly Diagnostic[],
    what = "nothing was changed",
  ) {
    const errors = diagnostics.filter((d) => d.severity === "error").length;
    super(`${file}: ${errors} error${errors === 1 ? "" : "s"}; ${what}.`);
  }
}

/** What was asked about does not exist: a task that is not applied, a run that is not recorded (the web API's 404). */
export class NotFoundError extends UserError {}

/** What was asked for cannot happen now: the task already runs (the web API's 409). */
export class ConflictError extends UserError {}

export function taskNotApplied(task: string, applied: readonly string[]): NotFoundError {
  return new NotFoundError(`task "${task}" is not applied`, `Applied tasks: ${[...applied].sort().join(", ") || "none"}. Add it to the file and run cloudsync apply.`);
}

/** A server cannot listen where it is told to (an address in use, one that is not host:port): the user's to fix. */
export class CannotServeError extends UserError {}

/** Another service took this one's state directory: this one must stop. */
export class ServiceDisplacedError extends UserError {}

/** The reason in an fs error, without Node's `ECODE: ` prefix and syscall noise. */
export function fsReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "ENOENT") return "no such file or directory";
  if (code === "ENOSPC") return "no space left on the device";
  if (code === "EROFS") return "read-only file system";
  if (code === "ENOTDIR") return "a part of the path is not a directory";
  return error instanceof Error ? error.message.replace(/^[A-Z]+: /, "") : String(error);
}
