import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";

export interface ScriptResult {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * Runs a pre- or post-script: with the interpreter its `#!` line names,
 * otherwise with /bin/sh. Output goes line by line to `onLine`.
 */
export async function runScript(
  script: string,
  env: NodeJS.ProcessEnv,
  onLine: (line: string) => void,
  signal: AbortSignal,
): Promise<ScriptResult> {
  const dir = mkdtempSync(join(tmpdir(), "cloudsync-script-"));
  const file = join(dir, "script");
  writeFileSync(file, script, { mode: 0o700 });
  chmodSync(file, 0o700);
  const [command, args] = script.startsWith("#!") ? [file, []] : ["/bin/sh", [file]];
  try {
    const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    const stop = () => {
      try {
        if (child.pid) process.kill(-child.pid, "SIGTERM");
      } catch {
        // already gone
      }
    };
    signal.addEventListener("abort", stop, { once: true });
    for (const stream of [child.stdout, child.stderr]) createInterface({ input: stream }).on("line", onLine);
    return await new Promise<ScriptResult>((resolve) => {
      child.on("error", (error) => {
        onLine(`cannot start the script: ${error.message}`);
        resolve({ code: 127, signal: null });
      });
      child.on("close", (code, sig) => {
        signal.removeEventListener("abort", stop);
        resolve({ code, signal: sig });
      });
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
