import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ProcessGroup } from "../model/run-record.js";
import { runProcess } from "../process/run.js";

export interface ScriptResult {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** The output of each script a run keeps in its log, at most (in characters): a runaway `yes` fills no disk. */
export const SCRIPT_OUTPUT_LIMIT = 10 * 1024 * 1024;

export interface ScriptRequest {
  env: NodeJS.ProcessEnv;
  onLine: (line: string) => void;
  /** Instead of SCRIPT_OUTPUT_LIMIT. */
  outputLimit?: number;
  signal: AbortSignal;
  /** After SIGTERM, how long the script's group gets before SIGKILL. */
  graceMs: number;
  onSpawn?: (group: ProcessGroup) => void;
}

/**
 * The kernel honours `#!` only at the very first byte; a script whose `#!`
 * line comes after blank lines (a YAML block often starts with one) still
 * means that interpreter, so those lines are dropped.
 */
export function scriptText(script: string): string {
  const trimmed = script.replace(/^\s+/, "");
  return trimmed.startsWith("#!") ? trimmed : script;
}

/**
 * Runs a pre- or post-script with the interpreter its `#!` line names,
 * otherwise with /bin/sh, in a process group of its own: stopping it stops
 * everything it started, and nothing it started outlives it.
 */
export async function runScript(script: string, request: ScriptRequest): Promise<ScriptResult> {
  const dir = mkdtempSync(join(tmpdir(), "cloudsync-script-"));
  const file = join(dir, "script");
  const text = scriptText(script);
  writeFileSync(file, text, { mode: 0o700 });
  chmodSync(file, 0o700);
  const [command, args] = text.startsWith("#!") ? [file, []] : ["/bin/sh", [file]];
  // Lines past the limit are read (the script goes on) but not kept; one line says how many there were.
  const limit = request.outputLimit ?? SCRIPT_OUTPUT_LIMIT;
  let kept = 0;
  let dropped = 0;
  const onLine = (line: string) => {
    if (kept >= limit) dropped++;
    else {
      kept += line.length + 1;
      request.onLine(line);
    }
  };
  try {
    const outcome = await runProcess({
      command,
      args,
      env: request.env,
      signal: request.signal,
      graceMs: request.graceMs,
      onStdout: onLine,
      onStderr: onLine,
      onSpawn: request.onSpawn,
    });
    if (outcome.spawnError) {
      request.onLine(`cannot start the script: ${outcome.spawnError.message}`);
      return { code: 127, signal: null };
    }
    return { code: outcome.code, signal: outcome.signal };
  } finally {
    if (dropped > 0) request.onLine(`… ${dropped} more lines of output were not kept: a run's log keeps the first ${Math.round(limit / 1024 / 1024)} MiB of each script's output`);
    rmSync(dir, { recursive: true, force: true });
  }
}
