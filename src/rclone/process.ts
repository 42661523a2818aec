import { rmSync } from "node:fs";
import { UserError } from "../errors.js";
import type { ProcessGroup } from "../model/run-record.js";
import { followFile, runProcess } from "../process/run.js";
import type { Invocation } from "./command.js";
import type { RcloneStats } from "../model/progress.js";
import { errorText, parseLogLine, type LogEvent } from "./log.js";

export interface RcloneOutcome {
  /** null when a signal ended it. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stats: RcloneStats | null;
  /** The last error lines rclone printed, for the run's error excerpt. */
  errorLines: string[];
  stoppedBy: "abort" | "timeout" | "caller" | null;
}

export interface RcloneHooks {
  /** Each line rclone logs, parsed; its standard output too unless `onStdout` takes it. */
  onEvent?: (event: LogEvent) => void;
  /** Standard output, line by line (listings); `stop` ends rclone early. */
  onStdout?: (line: string, stop: () => void) => void;
  onSpawn?: (group: ProcessGroup) => void;
  /** A file (in a private directory) for rclone's log, read in blocks rather than line by line through a pipe, then removed: for long runs. */
  logFile?: string;
  signal?: AbortSignal;
  timeoutMs?: number | null;
  /** After SIGTERM, how long rclone gets before SIGKILL. */
  graceMs: number;
}

const ERROR_LINES_KEPT = 20;

export function rcloneMissing(command: string): UserError {
  return new UserError(
    `rclone was not found (${command})`,
    "Install it (Debian/Ubuntu: apt-get install rclone; elsewhere: https://rclone.org/install/) or point settings.rclone at it.",
  );
}

/** Our remotes come only from the variables we set; inherited ones of the same names must not leak in. */
export function childEnv(base: NodeJS.ProcessEnv, remotes: Pick<Invocation, "env">): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(base)) if (!/^RCLONE_CONFIG_CLOUDSYNC/.test(key)) env[key] = value;
  return { ...env, ...remotes.env };
}

/** Runs rclone through the one process runner, reading its JSON log as events. */
export async function runRclone(command: string, invocation: Pick<Invocation, "args" | "env">, baseEnv: NodeJS.ProcessEnv, hooks: RcloneHooks): Promise<RcloneOutcome> {
  let stats: RcloneStats | null = null;
  const errorLines: string[] = [];
  const handle = (line: string) => {
    const event = parseLogLine(line);
    if (event.kind === "stats") stats = event.stats;
    const text = errorText(event);
    if (text !== null) {
      errorLines.push(text);
      if (errorLines.length > ERROR_LINES_KEPT) errorLines.shift();
    }
    hooks.onEvent?.(event);
  };
  const log = hooks.logFile === undefined ? null : followFile(hooks.logFile, handle);
  const outcome = await runProcess({
    command,
    args: log ? [...invocation.args, "--log-file", hooks.logFile!] : invocation.args,
    env: childEnv(baseEnv, invocation),
    signal: hooks.signal,
    timeoutMs: hooks.timeoutMs,
    graceMs: hooks.graceMs,
    onStdout: hooks.onStdout ?? ((line) => handle(line)),
    onStderr: handle,
    onSpawn: hooks.onSpawn,
  }).finally(() => {
    log?.stop();
    if (hooks.logFile !== undefined) rmSync(hooks.logFile, { force: true });
  });
  if (outcome.spawnError) {
    if (outcome.spawnError.code === "ENOENT") throw rcloneMissing(command);
    throw new UserError(`cannot start rclone (${command}): ${outcome.spawnError.message}`);
  }
  return { code: outcome.code, signal: outcome.signal, stats, errorLines, stoppedBy: outcome.stoppedBy };
}
