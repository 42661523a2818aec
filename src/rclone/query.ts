import { redactor } from "../secrets/secrets.js";
import type { RemoteConfig } from "./command.js";
import { isDecryptionFailure, type LogEvent } from "./log.js";
import { runRclone } from "./process.js";
import { describeRemoteFailure, type RemoteFailure } from "./remote-errors.js";
import type { RemoteEntry } from "../model/results.js";

/** Short rclone commands against a remote give up soon rather than hang on an unreachable host. */
const QUERY_TIMEOUTS = ["--contimeout", "15s", "--timeout", "30s", "--low-level-retries", "1", "--retries", "1"];
const HARD_LIMIT_MS = 120_000;
const QUERY_GRACE_MS = 2_000;

export type QueryResult = { ok: true; stdout: string } | { ok: false; failure: RemoteFailure; excerpt: string[] };

/**
 * Runs one short rclone command (lsjson, mkdir, …) with the remotes of
 * `config`, and shapes the outcome as a result: what it printed, or why it
 * failed in one line. Secrets never reach either.
 */
export async function rcloneQuery(command: string, args: readonly string[], config: RemoteConfig, baseEnv: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<QueryResult> {
  // Debug level only where names are decrypted: rclone 1.60 reports a wrong crypt password nowhere else.
  const verbosity = config.remote.startsWith("cloudsynccrypt:") ? ["-vv"] : [];
  const stdout: string[] = [];
  const events: LogEvent[] = [];
  const outcome = await runRclone(command, { args: [...args, ...QUERY_TIMEOUTS, "--use-json-log", ...verbosity], env: config.env }, baseEnv, {
    onStdout: (line) => stdout.push(line),
    onEvent: (event) => events.push(event),
    signal,
    timeoutMs: HARD_LIMIT_MS,
    graceMs: QUERY_GRACE_MS,
  });
  const decryptionFailed = events.some(isDecryptionFailure);
  if (outcome.code === 0 && !decryptionFailed) return { ok: true, stdout: stdout.join("\n") };
  const redact = redactor(config.secrets);
  const lines = outcome.errorLines.map(redact);
  if (outcome.stoppedBy === "timeout") lines.push(`i/o timeout: rclone gave no answer within ${HARD_LIMIT_MS / 1000} s`);
  return { ok: false, failure: describeRemoteFailure(lines, decryptionFailed), excerpt: lines.slice(-5) };
}


/** rclone lsjson's output as entries, directories first, then by name. */
export function parseListing(stdout: string): RemoteEntry[] {
  const raw = JSON.parse(stdout) as Array<{ Path: string; Name: string; Size: number; ModTime?: string; IsDir: boolean }>;
  return raw
    .map((e) => ({ name: e.Name, path: e.Path, is_dir: e.IsDir, size: e.IsDir || e.Size < 0 ? null : e.Size, modified: e.ModTime ?? null }))
    .sort((a, b) => Number(b.is_dir) - Number(a.is_dir) || a.name.localeCompare(b.name));
}
