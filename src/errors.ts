/**
 * A problem the user or the environment caused (a refused operation, a missing
 * program, an unwritable directory). The CLI prints it as
 * `cloudsync: error: MESSAGE` and the hint below it, never with a stack trace.
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
