import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BackendCatalog } from "../model/backends.js";
import { DEFAULT_SETTINGS, durationMs, type TaskSpec } from "../model/config.js";
import { destinationsOf } from "../model/destinations.js";
import { ConflictError, fsReason, NotFoundError, taskNotApplied, UserError } from "../errors.js";
import { remoteOf } from "../plan/diff.js";
import { bootId } from "../process/identity.js";
import { backendCatalog } from "../rclone/backends.js";
import { remoteConfig } from "../rclone/command.js";
import { VERSIONS_EXCLUDED } from "../rclone/versions.js";
import { filterFile } from "../rclone/filters.js";
import type { RcloneStats } from "../model/progress.js";
import { redactor, secretsOf, withoutSecrets, type Redact } from "../secrets/secrets.js";
import { FileLock, LockedError } from "../state/lock.js";
import { describeHolder } from "../model/lock.js";
import type { AppliedState } from "../model/applied-state.js";
import { clearAbort, watchForAbort } from "./control.js";
import { combinedStats, destinationRun, failed, snapshotTools, stopped, type DestinationRun, type Failure, type RunContext, type Step, type StopReason } from "./context.js";
import { atEveryDestination, resultsOf } from "./destinations.js";
import { checkLocalPath } from "./guards.js";
import { startedRecord, type RunRecord } from "../model/run-record.js";
import { RunCounters } from "../state/run-counters.js";
import { RunLogs } from "../state/run-logs.js";
import { newRunId, RunRecords } from "../state/run-records.js";
import { runScript } from "./scripts.js";
import { reapDeadRuns } from "./reap.js";
import { RunLog } from "../state/run-log.js";
import { NEVER_TRANSFERRED, takeSnapshot } from "./snapshot.js";
import { sourceNotEmpty, transferTo } from "./transfer.js";
import { verifyAt } from "./verify.js";

export interface RunRequest {
  stateDir: string;
  task: string;
  /** A transfer (default), or a check of what the remote holds. */
  kind?: RunRecord["kind"];
  /** A check compares content byte for byte. */
  download?: boolean;
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
  /** Only this one of the task's destinations (`run TASK --destination NAME`). */
  destination?: string;
}

const DEFAULT_GRACE_MS = 10_000;

const checkPath: Step = async (context) => {
  const checked = checkLocalPath(context.spec);
  return checked.ok ? null : failed(checked.reason);
};

const snapshot: Step = async (context) => {
  if (!context.spec.snapshot) return null;
  context.snapshot = await takeSnapshot(context.spec.path, `${context.request.task}-${context.record.id}`, snapshotTools(context));
  context.localSource = context.snapshot.path;
  context.note(`--- snapshot ${context.snapshot.description}`);
  return null;
};

const script =
  (which: "pre-script" | "post-script"): Step =>
  async (context) => {
    const text = which === "pre-script" ? context.spec.pre_script : context.spec.post_script;
    if (text.trim() === "") return null;
    context.note(`--- ${which}`);
    const result = await runScript(text, {
      env: { ...context.scriptEnv, CLOUDSYNC_PATH: context.localSource, ...(which === "post-script" ? { CLOUDSYNC_RESULTS: resultsOf(context) } : {}) },
      onLine: (line) => context.relay(line, `[${which}] `),
      signal: context.signal,
      graceMs: context.graceMs,
      onSpawn: (group) => context.update({ process_group: group }),
    });
    context.update({ process_group: null });
    if (context.signal.aborted || result.code === 0) return null;
    const why = result.signal ? `${which} was killed by ${result.signal}` : `${which} failed with exit code ${result.code}`;
    return failed(which === "pre-script" ? `${why}; nothing was transferred` : why);
  };

/** The empty-source guard, once for every destination (a check never writes: no guard). */
const sourceGuard: Step = (context) => sourceNotEmpty(context);

/** The environment scripts get: the task, and no secret of any credential or task, not even through a variable that holds one. */
function scriptEnvironment(request: RunRequest, spec: TaskSpec, record: RunRecord, secrets: readonly string[]): NodeJS.ProcessEnv {
  return {
    ...withoutSecrets(request.env, secrets),
    CLOUDSYNC_TASK: request.task,
    CLOUDSYNC_RUN_ID: record.id,
    CLOUDSYNC_DIRECTION: spec.direction,
    CLOUDSYNC_TRANSFER_MODE: spec.transfer_mode,
    CLOUDSYNC_DRY_RUN: String(request.dryRun),
  };
}

const isSystemError = (error: unknown): error is NodeJS.ErrnoException => error instanceof Error && typeof (error as NodeJS.ErrnoException).code === "string";

function temporaryDirectory(): string {
  try {
    return mkdtempSync(join(tmpdir(), "cloudsync-run-"));
  } catch (error) {
    throw new UserError(`cannot create a temporary directory in ${tmpdir()}: ${fsReason(error)}`);
  }
}

async function takeTaskLock(store: RunRecords, task: string, kind: RunRecord["kind"]): Promise<FileLock> {
  try {
    return await FileLock.acquire(store.lockPath(task), { command: `${kind} ${task}`, waitMs: 0 });
  } catch (error) {
    if (!(error instanceof LockedError)) throw error;
    throw new ConflictError(`task "${task}" is already running${error.holder ? ` (${describeHolder(error.holder)})` : ""}`, "Wait for it to finish, or stop it with cloudsync abort.");
  }
}

/** The applied task and what it runs with; a user's error if it is not applied. */
function appliedTask(request: RunRequest) {
  const spec = request.applied.tasks[request.task];
  if (!spec) {
    throw taskNotApplied(request.task, Object.keys(request.applied.tasks));
  }
  if (request.destination !== undefined && !spec.destinations?.[request.destination]) {
    const names = Object.keys(spec.destinations ?? {});
    throw new NotFoundError(`task "${request.task}" has no destination "${request.destination}"`, names.length > 0 ? `Its destinations: ${names.join(", ")}.` : "It writes to one place: run it without --destination.");
  }
  return { spec, settings: request.applied.settings ?? DEFAULT_SETTINGS };
}

/** The longest delay setTimeout holds (~24.8 days); a longer one fires at once. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/** Calls `fn` once `ms` have passed, however long that is (a longer wait goes in steps); returns the cancel. */
function after(ms: number, fn: () => void): () => void {
  let timer: NodeJS.Timeout;
  const wait = (left: number) => {
    timer = setTimeout(() => (left > LONGEST_TIMER_MS ? wait(left - LONGEST_TIMER_MS) : fn()), Math.min(left, LONGEST_TIMER_MS));
  };
  wait(ms);
  return () => clearTimeout(timer);
}

/**
 * What stops a run: the caller (Ctrl-C, service shutdown), `cloudsync abort`
 * from any process, or the timeout, which covers the whole run (snapshot,
 * scripts and every attempt).
 */
function stopControl(request: RunRequest, spec: TaskSpec, store: RunRecords, runId: () => string) {
  const controller = new AbortController();
  const stop = (reason: StopReason) => controller.abort(reason);
  const onCallerAbort = () => stop("abort");
  request.signal.addEventListener("abort", onCallerAbort, { once: true });
  if (request.signal.aborted) stop("abort");
  const cancelTimeout = spec.timeout === null ? undefined : after(durationMs(spec.timeout), () => stop("timeout"));
  clearAbort(store, request.task);
  const stopWatching = watchForAbort(store, request.task, runId, () => stop("abort"));
  return {
    signal: controller.signal,
    dispose: () => {
      cancelTimeout?.();
      stopWatching();
      request.signal.removeEventListener("abort", onCallerAbort);
    },
  };
}

function newRecord(request: RunRequest, now: Date): RunRecord {
  return startedRecord({ id: newRunId(now), kind: request.kind ?? "run", task: request.task, dry_run: request.dryRun, trigger: request.trigger, started_at: now.toISOString(), pid: process.pid, boot_id: bootId() });
}

/** Everything a run's steps share: the record, its log, its filters and remotes, the one redactor. */
function openContext(request: RunRequest, task: ReturnType<typeof appliedTask>, backends: BackendCatalog, store: RunRecords, record: RunRecord, signal: AbortSignal, temp: string, log: RunLog): RunContext {
  const { spec, settings } = task;
  const filterPath = join(temp, "filters");
  writeFileSync(filterPath, filterFile(spec.exclude, spec.include, [...NEVER_TRANSFERRED, VERSIONS_EXCLUDED]), { mode: 0o600 });
  const places = destinationsOf(spec).filter((d) => request.destination === undefined || d.name === request.destination);
  const remotes = places.map((d) => remoteConfig(request.applied.credentials[d.spec.credential]!, d.spec, backends));
  const secrets = [...secretsOf(request.applied), ...remotes.flatMap((r) => r.secrets)];
  const redact = redactor(secrets);
  const destinations: DestinationRun[] = [];
  const context: RunContext = {
    request,
    spec,
    settings,
    store,
    signal,
    graceMs: request.graceMs ?? DEFAULT_GRACE_MS,
    filterPath,
    tempDir: temp,
    scriptEnv: scriptEnvironment(request, spec, record, secrets),
    record,
    localSource: spec.path,
    snapshot: undefined,
    destinations,
    approval: null,
    deferred: null,
    redact,
    note: (line) => log.write(line),
    relay: (line, prefix = "") => log.write(`${prefix}${redact(line)}`),
    update: (patch) => {
      context.record = { ...context.record, ...patch };
      try {
        store.save(context.record);
      } catch (error) {
        context.saveError ??= error;
      }
    },
    progress: () => {
      const going = destinations.flatMap((d) => (d.stats ? [d.stats] : []));
      if (going.length === 0) return;
      const stats = combinedStats(going);
      // Kept in the record (saved with the next save), for other processes to show the same figures.
      context.record = { ...context.record, progress: stats };
      request.onProgress?.(stats, context.record);
    },
    saveError: undefined,
  };
  places.forEach((d, i) => destinations.push(destinationRun(context, d.name, d.spec, remotes[i]!)));
  return context;
}

const STEPS: Record<RunRecord["kind"], Step[]> = {
  run: [checkPath, snapshot, script("pre-script"), sourceGuard, atEveryDestination(transferTo, { transfer: true }), script("post-script")],
  // A check never writes: no scripts, no snapshot, no guards.
  check: [checkPath, atEveryDestination(verifyAt, { transfer: false })],
};

/** The steps in order, until one fails or the run is stopped. */
async function runSteps(context: RunContext): Promise<Failure | null> {
  for (const step of STEPS[context.record.kind]) {
    const failure = (await step(context)) ?? stopped(context);
    if (context.saveError) throw context.saveError;
    if (failure) return failure;
  }
  return context.deferred;
}

/** A failure nobody foresaw (a full disk, a permission) as the run's error; it may quote anything, so all of it is redacted. */
function unforeseen(error: unknown, redact: Redact): string {
  if (isSystemError(error)) return redact(`${error.syscall ?? "file system"}: ${fsReason(error)}${error.path ? ` (${error.path})` : ""}`);
  return redact(error instanceof Error ? error.message : String(error));
}

/**
 * Runs an applied task once, now: one run at a time per task, whichever
 * process starts it; every step in the run's log; the record always ends in
 * SUCCESS, FAILED or ABORTED, and the snapshot and temporary files are removed
 * whatever happens.
 */
export async function runTask(request: RunRequest): Promise<RunRecord> {
  const now = request.now ?? (() => new Date());
  const task = appliedTask(request);
  const store = new RunRecords(request.stateDir);
  const logs = new RunLogs(request.stateDir);
  store.ensureDir();
  const lock = await takeTaskLock(store, request.task, request.kind ?? "run");
  let record = newRecord(request, now());
  const control = stopControl(request, task.spec, store, () => record.id);
  let log: RunLog | undefined;
  let temp: string | undefined;
  let context: RunContext | undefined;
  let unsaved: unknown;
  try {
    // We hold the task's lock: a run still marked RUNNING, or a snapshot of the task, is a dead process's.
    const reaped = await reapDeadRuns(store, request.task, task.spec, request.env, now());
    record = { ...record, seq: reaped.nextSeq };
    store.save(record);
    request.onStart?.(record);
    log = RunLog.open(logs.path(request.task, record.id), now);
    temp = temporaryDirectory();
    context = openContext(request, task, await backendCatalog(task.settings.rclone, request.env), store, record, control.signal, temp, log);
    const { spec } = task;
    context.note(`--- ${record.kind} ${record.id} of task ${request.task}${request.dryRun ? " (dry run)" : ""}${record.kind === "check" && request.download ? " (download)" : ""}, started ${record.started_at} (${record.trigger})`);
    for (const dead of reaped.aborted) context.note(`--- run ${dead.id} was left running by a process that died; marked ABORTED`);
    for (const note of reaped.snapshots) context.note(`--- ${note}`);
    if (spec.destinations) context.note(`--- push from ${spec.path} to ${context.destinations.map((d) => d.name).join(", ")}${spec.parallel > 1 ? ` (up to ${spec.parallel} at once)` : ""}`);
    else context.note(`--- ${spec.direction} ${spec.transfer_mode}: ${spec.direction === "push" ? `${spec.path} → ${remoteOf(spec)}` : `${remoteOf(spec)} → ${spec.path}`}${spec.encryption ? " (encrypted)" : ""}`);

    const failure = await runSteps(context);
    record = { ...context.record, state: failure?.state ?? "SUCCESS", error: failure?.error ?? null, finished_at: now().toISOString(), process_group: null, progress: null };
    // The closing line says it all: the outcome and the figures.
    const figures = record.kind === "check" && record.check ? `${record.check.matched} matched, ${record.check.differ} differ, ${record.check.missing_on_remote + record.check.missing_on_local} missing, ${record.check.errors} unreadable` : `${record.files} files, ${record.bytes} bytes, ${record.deletes} deleted`;
    context.note(`--- ${record.kind} ${record.id} ${record.state} (${figures}, ${Date.parse(record.finished_at!) - Date.parse(record.started_at)} ms)${record.error ? `: ${record.error}` : ""}`);
  } catch (error) {
    record = context?.record ?? record;
    if (record.state === "RUNNING") {
      const message = unforeseen(error, context?.redact ?? redactor(secretsOf(request.applied)));
      record = { ...record, state: "FAILED", finished_at: now().toISOString(), error: message, process_group: null };
      log?.write(`--- ${record.kind} ${record.id} FAILED: ${message}`);
    }
    // The environment's failures (a full disk, a permission) end the run FAILED; anything else is a bug.
    if (!(error instanceof UserError) && !isSystemError(error)) throw error;
  } finally {
    const removal = await context?.snapshot?.remove();
    if (removal) context!.note(`--- ${removal}`);
    control.dispose();
    if (temp) rmSync(temp, { recursive: true, force: true });
    log?.close();
    if (log?.failure) record = { ...record, error: `${record.error ? `${record.error}; ` : ""}the log could not be written (${log.failure})` };
    // The record is written last; if even that fails, the lock is still released before the error is told.
    try {
      clearAbort(store, request.task);
      store.save(record);
      new RunCounters(request.stateDir).count(record);
      // One listing for both: a run's end reads every record of its task.
      const records = store.list(request.task);
      const gone = new Set(store.prune(request.task, task.settings.log_retention, records));
      for (const old of gone) logs.remove(request.task, old.id);
      logs.compressFinished(records.filter((r) => !gone.has(r)), now());
    } catch (error) {
      unsaved = error;
    }
    lock.release();
  }
  if (unsaved) throw unsaved;
  return record;
}
