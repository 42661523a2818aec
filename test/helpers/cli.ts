import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";

export const CLI = fileURLToPath(new URL("../../dist/cloudsync.js", import.meta.url));

/**
 * The environment for processes the tests start: this one's, plus `extra`,
 * without AWS_CA_BUNDLE, which makes rclone 1.60's S3 backend fail.
 */
export function testEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env.AWS_CA_BUNDLE;
  return env;
}

/** Runs the built CLI as a user would; never rejects, the result carries the exit code. */
export async function cli(args: string[], options: { cwd?: string; env?: Record<string, string | undefined>; input?: string; uid?: number; gid?: number } = {}) {
  const env = testEnv({ NO_COLOR: undefined, FORCE_COLOR: undefined, ...options.env });
  const result = await execa("node", [CLI, ...args], {
    cwd: options.cwd,
    env,
    extendEnv: false,
    reject: false,
    input: options.input,
    uid: options.uid,
    gid: options.gid,
    stripFinalNewline: false,
  });
  return { code: result.exitCode, stdout: result.stdout, stderr: result.stderr };
}

export function tempDir(): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), "cloudsync-test-"));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Output that betrays an uncaught exception. */
export const STACK_TRACE = /^\s+at .+[(:]\d+|Error: .*\n\s+at /m;

/** Whether a process is running: a zombie (killed, not yet reaped by whoever adopted it) is not. */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}
