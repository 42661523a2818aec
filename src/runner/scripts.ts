import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runProcess, type ProcessGroup } from "../process/run.js";

export interface ScriptResult {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ScriptRequest {
  env: NodeJS.ProcessEnv;
  onLine: (line: string) => void;
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
  try {
    const outcome = await runProcess({
      command,
      args,
      env: request.env,
      signal: request.signal,
      graceMs: request.graceMs,
      onStdout: request.onLine,
      onStderr: request.onLine,
      onSpawn: request.onSpawn,
    });
    if (outcome.spawnError) {
      request.onLine(`cannot start the script: ${outcome.spawnError.message}`);
      return { code: 127, signal: null };
    }
    return { code: outcome.code, signal: outcome.signal };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
