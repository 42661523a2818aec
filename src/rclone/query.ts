import { execa } from "execa";
import { UserError } from "../errors.js";
import { redactor } from "../runner/redact.js";
import type { RemoteConfig } from "./command.js";
import { errorText, isDecryptionFailure, parseLogLine } from "./log.js";
import { childEnv, rcloneMissing } from "./process.js";
import { describeRemoteFailure, type RemoteFailure } from "./remote-errors.js";

/** Short rclone commands against a remote give up soon rather than hang on an unreachable host. */
const QUERY_TIMEOUTS = ["--contimeout", "15s", "--timeout", "30s", "--low-level-retries", "1", "--retries", "1"];
const HARD_LIMIT_MS = 120_000;

export type QueryResult = { ok: true; stdout: string } | { ok: false; failure: RemoteFailure; excerpt: string[] };

/**
 * Runs one short rclone command (lsjson, mkdir, …) with the remotes of
 * `config`, and shapes the outcome as a result: what it printed, or why it
 * failed in one line. Secrets never reach either.
 */
export async function rcloneQuery(command: string, args: readonly string[], config: RemoteConfig, baseEnv: NodeJS.ProcessEnv): Promise<QueryResult> {
  // Debug level only where names are decrypted: rclone 1.60 reports a wrong crypt password nowhere else.
  const verbosity = config.remote.startsWith("cloudsynccrypt:") ? ["-vv"] : [];
  const result = await execa(command, [...args, ...QUERY_TIMEOUTS, "--use-json-log", ...verbosity], {
    env: childEnv(baseEnv, config),
    extendEnv: false,
    reject: false,
    stdin: "ignore",
    timeout: HARD_LIMIT_MS,
  });
  if (result.exitCode === undefined && !result.timedOut) {
    if ((result as { code?: string }).code === "ENOENT") throw rcloneMissing(command);
    throw new UserError(`cannot start rclone (${command}): ${result.shortMessage}`);
  }
  const redact = redactor(config.secrets);
  const events = String(result.stderr).split("\n").filter((l) => l.trim() !== "").map(parseLogLine);
  const decryptionFailed = events.some(isDecryptionFailure);
  if (result.exitCode === 0 && !decryptionFailed) return { ok: true, stdout: String(result.stdout) };
  const lines = events.flatMap((e) => {
    const text = errorText(e);
    return text === null ? [] : [redact(text)];
  });
  if (result.timedOut) lines.push(`i/o timeout: rclone gave no answer within ${HARD_LIMIT_MS / 1000} s`);
  return { ok: false, failure: describeRemoteFailure(lines, decryptionFailed), excerpt: lines.slice(-5) };
}

export interface RemoteEntry {
  name: string;
  path: string;
  is_dir: boolean;
  /** Bytes; null for directories. */
  size: number | null;
  /** ISO-8601, as the remote reports it. */
  modified: string | null;
}

/** rclone lsjson's output as entries, directories first, then by name. */
export function parseListing(stdout: string): RemoteEntry[] {
  const raw = JSON.parse(stdout) as Array<{ Path: string; Name: string; Size: number; ModTime?: string; IsDir: boolean }>;
  return raw
    .map((e) => ({ name: e.Name, path: e.Path, is_dir: e.IsDir, size: e.IsDir || e.Size < 0 ? null : e.Size, modified: e.ModTime ?? null }))
    .sort((a, b) => Number(b.is_dir) - Number(a.is_dir) || a.name.localeCompare(b.name));
}
