import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { UserError } from "../errors.js";
import type { Invocation } from "./command.js";
import { errorText, parseLogLine, type LogEvent, type RcloneStats } from "./log.js";

export interface RcloneOutcome {
  code: number | null;
  stats: RcloneStats | null;
  /** The last error lines rclone printed, for the run's error excerpt. */
  errorLines: string[];
  stoppedBy: "abort" | "timeout" | null;
}

export interface RcloneHooks {
  onEvent: (event: LogEvent) => void;
  onStart: (pid: number) => void;
  signal: AbortSignal;
  timeoutMs: number | null;
  /** After SIGTERM, how long rclone gets before SIGKILL. */
  graceMs: number;
}

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

/** Runs rclone in its own process group, so that stopping it stops everything it started. */
export function runRclone(command: string, invocation: Invocation, baseEnv: NodeJS.ProcessEnv, hooks: RcloneHooks): Promise<RcloneOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, invocation.args, { env: childEnv(baseEnv, invocation), stdio: ["ignore", "pipe", "pipe"], detached: true });
    let stats: RcloneStats | null = null;
    const errorLines: string[] = [];
    let stoppedBy: RcloneOutcome["stoppedBy"] = null;
    let killTimer: NodeJS.Timeout | undefined;

    const stop = (reason: "abort" | "timeout") => {
      if (stoppedBy || child.exitCode !== null || !child.pid) return;
      stoppedBy = reason;
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        return;
      }
      killTimer = setTimeout(() => {
        try {
          process.kill(-child.pid!, "SIGKILL");
        } catch {
          // gone meanwhile
        }
      }, hooks.graceMs);
    };
    const onAbort = () => stop("abort");
    hooks.signal.addEventListener("abort", onAbort, { once: true });
    const timeout = hooks.timeoutMs === null ? undefined : setTimeout(() => stop("timeout"), hooks.timeoutMs);

    const handle = (line: string) => {
      const event = parseLogLine(line);
      if (event.kind === "stats") stats = event.stats;
      const text = errorText(event);
      if (text !== null) {
        errorLines.push(text);
        if (errorLines.length > 20) errorLines.shift();
      }
      hooks.onEvent(event);
    };
    createInterface({ input: child.stderr }).on("line", handle);
    createInterface({ input: child.stdout }).on("line", handle);

    child.on("spawn", () => hooks.onStart(child.pid!));
    child.on("error", (error: NodeJS.ErrnoException) => {
      cleanup();
      reject(error.code === "ENOENT" ? rcloneMissing(command) : new UserError(`cannot start rclone (${command}): ${error.message}`));
    });
    const cleanup = () => {
      hooks.signal.removeEventListener("abort", onAbort);
      clearTimeout(timeout);
      clearTimeout(killTimer);
    };
    child.on("close", (code) => {
      cleanup();
      resolve({ code, stats, errorLines, stoppedBy });
    });
    if (hooks.signal.aborted) onAbort();
  });
}
