/**
 * The top-level commands, as program.ts defines them. The launcher keeps compiled code per
 * command and has to tell which one runs before the program is loaded (the program's test
 * holds the two lists together).
 */
export const COMMAND_NAMES: readonly string[] = [
  "validate",
  "plan",
  "apply",
  "status",
  "fleet",
  "history",
  "run",
  "check",
  "abort",
  "logs",
  "restore",
  "versions",
  "approve",
  "credentials",
  "buckets",
  "ls",
  "notify",
  "watch",
  "dashboard",
  "unlock",
  "export",
  "import",
  "completion",
  "schema",
  "init",
];

/** What the completion scripts run at each TAB: its words are the line being completed, not a command. */
export const COMPLETION_REQUEST = "__complete";

/** The command `args` run (the first argument that names one), or "cloudsync" for none (--version, --help). */
export function commandOf(args: readonly string[]): string {
  if (args[0] === COMPLETION_REQUEST) return COMPLETION_REQUEST;
  return args.find((arg) => COMMAND_NAMES.includes(arg)) ?? "cloudsync";
}
