// What rclone's exit codes mean (https://rclone.org/docs/#exit-code), in words
// a user can act on. 1 is also what rclone returns for usage errors and for
// failures before it starts (a remote it cannot set up).
const MEANINGS: Record<number, string> = {
  1: "rclone failed (syntax or usage error, or a remote it could not set up)",
  2: "rclone reported errors",
  3: "the directory was not found",
  4: "a file was not found",
  5: "a temporary error (network, rate limit); retrying may help",
  6: "less serious errors (some files were not transferred)",
  7: "a fatal error (e.g. the account is suspended or over quota); retrying will not help",
  8: "the transfer limit (--max-transfer) was reached",
  9: "nothing was transferred (--error-on-no-transfer)",
  10: "the time limit (--max-duration) was reached",
};

export function exitMeaning(code: number | null, signal: NodeJS.Signals | null = null): string {
  if (code === null) {
    if (signal === "SIGKILL") return "rclone was killed (SIGKILL): by another process, or by the system when memory ran out";
    return signal ? `rclone was stopped by ${signal} from outside cloudsync` : "rclone ended without an exit code";
  }
  return MEANINGS[code] ?? `rclone exited with code ${code}`;
}

/**
 * An unknown flag: a typo in rclone_args, or, for one of cloudsync's own
 * flags, an rclone older than cloudsync needs.
 */
export function unknownFlagHint(errorLines: readonly string[], userArgs: readonly string[]): string | null {
  const flag = errorLines.map((line) => /unknown (?:shorthand )?flag: '?(-[-\w]+)/.exec(line)?.[1]).find(Boolean);
  if (!flag) return null;
  if (userArgs.some((arg) => arg === flag || arg.startsWith(`${flag}=`))) return `rclone does not know ${flag}, given in rclone_args`;
  return `this rclone does not know ${flag}; cloudsync needs rclone 1.53 or newer (rclone version shows yours)`;
}

/** Failures that another attempt may fix. */
export function isRetryable(code: number): boolean {
  return code === 5;
}
