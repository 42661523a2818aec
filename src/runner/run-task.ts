import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { DEFAULT_SETTINGS, durationMs } from "../config/model.js";
import { UserError } from "../errors.js";
import { buildInvocation, remotePath } from "../rclone/command.js";
import { exitMeaning, isRetryable, unknownFlagHint } from "../rclone/exit-codes.js";
import { filterFile } from "../rclone/filters.js";
import { formatLogEvent, isDecryptionFailure, type RcloneStats } from "../rclone/log.js";
import { runRclone } from "../rclone/process.js";
import { describeHolder, FileLock } from "../state/lock.js";
import type { AppliedState } from "../state/model.js";
import { clearAbort, watchForAbort } from "./control.js";
import { newRunId, RunStore, type RunRecord } from "./records.js";
import { redactor } from "./redact.js";
import { runScript } from "./scripts.js";
import { takeSnapshot, type Snapshot } from "./snapshot.js";

export interface RunRequest {
  stateDir: string;
  task: string;
  applied: AppliedState;
  dryRun: boolean;
  trigger: RunRecord["trigger"];
  env: NodeJS.ProcessEnv;
  /** Aborting it stops the run: the script or rclone is stopped and the run ends ABORTED. */
  signal: AbortSignal;
  /** rclone's running totals, about once a second. */
  onProgress?: (stats: RcloneStats, record: RunRecord) => void;
  /** Told once the run has its record (and id). */
  onStart?: (record: RunRecord) => void;
  now?: () => Date;
  /** After SIGTERM, how long rclone or a script gets before SIGKILL. */
  graceMs?: number;
}

const ERROR_EXCERPT_LINES = 5;

function sum(a: RunRecord, stats: RcloneStats): Pick<RunRecord, "bytes" | "files" | "deletes" | "checks"> {
  return { bytes: a.bytes + stats.bytes, files: a.files + stats.transfers, deletes: a.deletes + stats.deletes, checks: a.checks + stats.checks };
}

/**
 * Runs an applied task once, now: one run at a time per task, whichever
 * process starts it; every step in the run's log; the record always ends in
 * SUCCESS, FAILED or ABORTED, and the snapshot and temporary files are removed
 * whatever happens.
 */
export async function runTask(request: RunRequest): Promise<RunRecord> {
  const now = request.now ?? (() => new Date());
  const spec = request.applied.tasks[request.task];
  if (!spec) {
    throw new UserError(`task "${request.task}" is not applied`, `Applied tasks: ${Object.keys(request.applied.tasks).sort().join(", ") || "none"}. Add it to the file and run cloudsync apply.`);
  }
  const credential = request.applied.credentials[spec.credential]!;
  const settings = request.applied.settings ?? DEFAULT_SETTINGS;
  const store = new RunStore(request.stateDir);
  mkdirSync(join(request.stateDir, "runs"), { recursive: true, mode: 0o700 });

  let lock: FileLock;
  try {
    lock = await FileLock.acquire(store.lockPath(request.task), { command: `run ${request.task}`, waitMs: 0 });
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    const holder = FileLock.holder(store.lockPath(request.task));
    throw new UserError(`task "${request.task}" is already running${holder ? ` (${describeHolder(holder)})` : ""}`, "Wait for it to finish, or stop it with cloudsync abort.");
  }

  // Stopped by the caller (Ctrl-C, service shutdown) or by `cloudsync abort` from any process.
  const controller = new AbortController();
  const onCallerAbort = () => controller.abort();
  request.signal.addEventListener("abort", onCallerAbort, { once: true });
  if (request.signal.aborted) controller.abort();
  const signal = controller.signal;

  const temp = mkdtempSync(join(tmpdir(), "cloudsync-run-"));
  let record: RunRecord = {
    id: newRunId(now()),
    task: request.task,
    state: "RUNNING",
    dry_run: request.dryRun,
    trigger: request.trigger,
    started_at: now().toISOString(),
    finished_at: null,
    bytes: 0,
    files: 0,
    deletes: 0,
    checks: 0,
    error: null,
    attempts: 0,
    pid: process.pid,
    rclone_pid: null,
  };
  clearAbort(store, request.task);
  const stopWatching = watchForAbort(store, request.task, () => record.id, () => controller.abort());
  let log: number | undefined;
  let snapshot: Snapshot | undefined;
  try {
    // We hold the task's lock: any run still marked RUNNING belongs to a process that died.
    store.reconcile(request.task, () => undefined, now());
    store.save(record);
    request.onStart?.(record);
    log = openSync(store.logPath(request.task, record.id), "a", 0o600);

    const filters = filterFile(spec.exclude, spec.include);
    const filterPath = filters === null ? null : join(temp, "filters");
    if (filterPath && filters) writeFileSync(filterPath, filters, { mode: 0o600 });
    // The snapshot path is known only once it is taken; secrets do not depend on it.
    let invocation = buildInvocation(spec, credential, { dryRun: request.dryRun, filterFile: filterPath, localSource: null });
    const redact = redactor(invocation.secrets);
    const fd = log;
    const write = (line: string) => writeSync(fd, `${redact(line)}\n`);
    const finish = (state: RunRecord["state"], error: string | null) => {
      record = { ...record, state, error: error === null ? null : redact(error), finished_at: now().toISOString() };
      write(`--- run ${record.id} ${state}${error ? `: ${redact(error)}` : ""}`);
    };

    write(`--- run ${record.id} of task ${request.task}${request.dryRun ? " (dry run)" : ""}, started ${record.started_at} (${record.trigger})`);
    write(`--- ${spec.direction} ${spec.transfer_mode}: ${spec.direction === "push" ? `${spec.path} → ${remotePath(spec, spec.credential)}` : `${remotePath(spec, spec.credential)} → ${spec.path}`}${spec.encryption ? " (encrypted)" : ""}`);

    if (spec.snapshot) {
      snapshot = await takeSnapshot(spec.path, `${request.task}-${record.id}`, request.env);
      write(`--- snapshot ${snapshot.description}`);
      invocation = buildInvocation(spec, credential, { dryRun: request.dryRun, filterFile: filterPath, localSource: snapshot.path });
    }

    // Scripts see the task, never its secrets, not even through variables that hold one.
    const secretValues = new Set(invocation.secrets);
    const scriptEnv: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(request.env).filter(([, v]) => v === undefined || !secretValues.has(v)));
    Object.assign(scriptEnv, {
      CLOUDSYNC_TASK: request.task,
      CLOUDSYNC_RUN_ID: record.id,
      CLOUDSYNC_DIRECTION: spec.direction,
      CLOUDSYNC_TRANSFER_MODE: spec.transfer_mode,
      CLOUDSYNC_PATH: snapshot?.path ?? spec.path,
      CLOUDSYNC_DRY_RUN: String(request.dryRun),
    });
    const script = async (which: "pre-script" | "post-script", text: string): Promise<string | null> => {
      if (text.trim() === "") return null;
      write(`--- ${which}`);
      const result = await runScript(text, scriptEnv, (line) => write(`[${which}] ${line}`), signal);
      if (signal.aborted) return null;
      if (result.code === 0) return null;
      return result.signal ? `${which} was killed by ${result.signal}` : `${which} failed with exit code ${result.code}`;
    };

    const preFailure = await script("pre-script", spec.pre_script);
    if (signal.aborted) finish("ABORTED", "aborted");
    else if (preFailure) finish("FAILED", `${preFailure}; nothing was transferred`);
    else {
      const timeoutMs = spec.timeout === null ? null : durationMs(spec.timeout);
      const deadline = timeoutMs === null ? null : Date.now() + timeoutMs;
      for (;;) {
        record = { ...record, attempts: record.attempts + 1, rclone_pid: null };
        store.save(record);
        write(`--- rclone ${invocation.args.join(" ")}${record.attempts > 1 ? ` (attempt ${record.attempts} of ${spec.retries + 1})` : ""}`);
        const before = record;
        let savedAt = 0;
        let undecryptable = 0;
        const outcome = await runRclone(settings.rclone, invocation, request.env, {
          signal: signal,
          timeoutMs: deadline === null ? null : Math.max(0, deadline - Date.now()),
          graceMs: request.graceMs ?? 10_000,
          onStart: (pid) => {
            record = { ...record, rclone_pid: pid };
            store.save(record);
          },
          onEvent: (event) => {
            if (isDecryptionFailure(event)) undecryptable++;
            if (event.kind === "stats") {
              record = { ...record, ...sum(before, event.stats) };
              request.onProgress?.(event.stats, record);
              // Other processes (status) read progress from the record.
              if (Date.now() - savedAt >= 1000) {
                savedAt = Date.now();
                store.save(record);
              }
            }
            const line = formatLogEvent(event);
            if (line !== null) write(line);
          },
        });
        record = { ...record, rclone_pid: null };
        if (outcome.stoppedBy === "abort" || signal.aborted) {
          finish("ABORTED", "aborted");
          break;
        }
        if (outcome.stoppedBy === "timeout") {
          finish("FAILED", `stopped after the timeout of ${spec.timeout}`);
          break;
        }
        const decryption = spec.encryption && undecryptable > 0 ? `${undecryptable} name${undecryptable === 1 ? "" : "s"} or file${undecryptable === 1 ? "" : "s"} could not be decrypted: is the encryption password (and salt) right?` : null;
        if (decryption && (outcome.code !== 0 || record.files + record.checks === before.files + before.checks)) {
          // Nothing could be read: a wrong password, not a passing fault; retrying will not help.
          finish("FAILED", decryption);
          break;
        }
        if (decryption) write(`--- warning: ${decryption}`);
        if (outcome.code === 0) {
          const postFailure = await script("post-script", spec.post_script);
          if (signal.aborted) finish("ABORTED", "aborted");
          else finish(postFailure ? "FAILED" : "SUCCESS", postFailure);
          break;
        }
        const code = outcome.code ?? -1;
        const excerpt = outcome.errorLines.slice(-ERROR_EXCERPT_LINES).join("\n");
        const failure = `${unknownFlagHint(outcome.errorLines, spec.rclone_args) ?? exitMeaning(code)}${excerpt ? `\n${excerpt}` : ""}`;
        if (!isRetryable(code) || record.attempts > spec.retries) {
          finish("FAILED", failure);
          break;
        }
        const delay = durationMs(spec.retry_delay) * 2 ** (record.attempts - 1);
        write(`--- attempt ${record.attempts} failed (${exitMeaning(code)}); retrying in ${Math.round(delay / 1000)}s`);
        try {
          await sleep(delay, undefined, { signal: signal });
        } catch {
          finish("ABORTED", "aborted");
          break;
        }
      }
    }
  } catch (error) {
    if (record.state === "RUNNING") {
      record = { ...record, state: "FAILED", finished_at: now().toISOString(), error: error instanceof Error ? error.message : String(error) };
      if (log !== undefined) writeSync(log, `--- run ${record.id} FAILED: ${record.error}\n`);
    }
    if (!(error instanceof UserError)) throw error;
  } finally {
    if (snapshot) {
      const removal = await snapshot.remove();
      if (removal && log !== undefined) writeSync(log, `--- ${removal}\n`);
    }
    rmSync(temp, { recursive: true, force: true });
    stopWatching();
    clearAbort(store, request.task);
    request.signal.removeEventListener("abort", onCallerAbort);
    if (log !== undefined) closeSync(log);
    store.save(record);
    store.prune(request.task, settings.log_retention);
    lock.release();
  }
  return record;
}
