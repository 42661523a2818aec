import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { BackendCatalog } from "../model/backends.js";
import { DEFAULT_SETTINGS, durationMs, type Settings, type TaskSpec } from "../model/config.js";
import { ConflictError, fsReason, taskNotApplied, UserError } from "../errors.js";
import { remoteOf } from "../plan/diff.js";
import { bootId } from "../process/identity.js";
import { backendCatalog } from "../rclone/backends.js";
import { buildCheckInvocation, parseReportLine, tally, type Mark } from "../rclone/check.js";
import { buildInvocation, endpoints, remoteConfig, type RemoteConfig } from "../rclone/command.js";
import { judgeCheck, judgeTransfer } from "../rclone/outcome.js";
import { VersionStore, VersionStoreError } from "../rclone/version-store.js";
import { backupDirFor, expiredStamps, pruneNeedsALook, VERSIONS_EXCLUDED, versionStamp } from "../rclone/versions.js";
import { Approvals } from "../state/approvals.js";
import { VersionsSeen } from "../state/versions-seen.js";
import { filterFile } from "../rclone/filters.js";
import type { RcloneStats } from "../model/progress.js";
import { formatLogEvent, isDecryptionFailure } from "../rclone/log.js";
import { runRclone } from "../rclone/process.js";
import { redactor, secretsOf, withoutSecrets, type Redact } from "../secrets/secrets.js";
import { FileLock, LockedError } from "../state/lock.js";
import { describeHolder } from "../model/lock.js";
import type { AppliedState } from "../model/applied-state.js";
import { clearAbort, watchForAbort } from "./control.js";
import { checkLocalPath, checkRealPlaces, checkSourceNotEmpty, deletionLimit, type GuardContext } from "./guards.js";
import { startedRecord, type RunRecord } from "../model/run-record.js";
import { RunCounters } from "../state/run-counters.js";
import { RunLogs } from "../state/run-logs.js";
import { newRunId, RunRecords } from "../state/run-records.js";
import { runScript } from "./scripts.js";
import { reapDeadRuns } from "./reap.js";
import { RunLog } from "../state/run-log.js";
import { NEVER_TRANSFERRED, takeSnapshot, type Snapshot, type SnapshotTools } from "./snapshot.js";

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
}

const DEFAULT_GRACE_MS = 10_000;
/** How often a running record is saved, for other processes (status) to read its progress. */
const PROGRESS_SAVE_MS = 1_000;

/** Why a run stops before it succeeds: aborted by someone, or out of time. */
type StopReason = "abort" | "timeout";

/** How a run ends when it does not succeed. */
interface Failure {
  state: "FAILED" | "ABORTED" | "HELD";
  error: string;
}

/** What every step of a run works with. */
interface RunContext {
  readonly request: RunRequest;
  readonly spec: TaskSpec;
  readonly settings: Settings;
  readonly store: RunRecords;
  readonly signal: AbortSignal;
  readonly graceMs: number;
  readonly filterPath: string;
  /** The task's remotes, obscured once, so every rclone of the run carries (and every log redacts) the same forms. */
  readonly remotes: RemoteConfig;
  readonly scriptEnv: NodeJS.ProcessEnv;
  record: RunRecord;
  /** Where the local side is read from: the task's path, or its snapshot. */
  localSource: string;
  snapshot: Snapshot | undefined;
  /** Every secret of the applied configuration, in any form, replaced: for what came from elsewhere. */
  readonly redact: Redact;
  /** A line of cloudsync's own, as it is: redaction never rewrites cloudsync's wording. */
  note(line: string): void;
  /** A line from rclone or a script (after an optional prefix of ours), redacted. */
  relay(line: string, prefix?: string): void;
  /** Changes the record and saves it. A save that fails (a full disk) is kept and thrown after the step, never inside a child process's event. */
  update(patch: Partial<RunRecord>): void;
  saveError: unknown;
}

type Step = (context: RunContext) => Promise<Failure | null>;

const failed = (error: string): Failure => ({ state: "FAILED", error });

function stopped(context: RunContext): Failure | null {
  if (!context.signal.aborted) return null;
  const reason = context.signal.reason as StopReason;
  return reason === "timeout" ? failed(`stopped after the timeout of ${context.spec.timeout}`) : { state: "ABORTED", error: "aborted" };
}

function sum(a: RunRecord, stats: RcloneStats): Pick<RunRecord, "bytes" | "files" | "deletes" | "checks"> {
  return { bytes: a.bytes + stats.bytes, files: a.files + stats.transfers, deletes: a.deletes + stats.deletes, checks: a.checks + stats.checks };
}

const snapshotTools = (context: RunContext): SnapshotTools => ({ env: context.request.env, signal: context.signal, graceMs: context.graceMs });

const guardContext = (context: RunContext): GuardContext => ({
  spec: context.spec,
  remotes: context.remotes,
  rclone: context.settings.rclone,
  env: context.request.env,
  filterPath: context.filterPath,
  localSource: context.localSource,
  signal: context.signal,
  graceMs: context.graceMs,
  redact: context.redact,
  onSpawn: (group) => context.update({ process_group: group }),
});

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
      env: { ...context.scriptEnv, CLOUDSYNC_PATH: context.localSource },
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

/** After a failure that may pass: wait and go round again, or give up. */
async function retryOrFail(context: RunContext, reason: string, retryable: boolean, summary: string): Promise<Failure | "retry"> {
  const { spec, record } = context;
  if (!retryable || record.attempts > spec.retries) return failed(reason);
  const delay = durationMs(spec.retry_delay) * 2 ** (record.attempts - 1);
  context.note(`--- attempt ${record.attempts} failed (${summary}); retrying in ${Math.round(delay / 1000)}s`);
  try {
    await sleep(delay, undefined, { signal: context.signal });
  } catch {
    return stopped(context)!;
  }
  return "retry";
}

/** How one attempt at the transfer ends: done, failed, or to be tried again after the backoff. */
type Attempt = Failure | null | "retry";

/** The guards, then rclone; a failure that may pass (exit code 5) is retried with backoff. */
const transfer: Step = async (context) => {
  // An approval of a HELD run lets this run (and no later one) delete beyond max_delete.
  const approval = context.request.dryRun ? null : new Approvals(context.request.stateDir).take(context.request.task);
  if (approval) {
    context.update({ approval });
    context.note(`--- max_delete does not hold for this run: ${approval.by} approved it on ${approval.at} (on ${approval.host}) after run ${approval.held_run} was held`);
  }
  for (;;) {
    context.update({ attempts: context.record.attempts + 1, process_group: null });
    const outcome = await attempt(context);
    if (outcome !== "retry") return outcome;
  }
};

/** One attempt: the places written must be allowed, the source must not be empty, the deletion limit is worked out, then rclone runs. */
async function attempt(context: RunContext): Promise<Attempt> {
  const places = checkRealPlaces(context.spec, context.request.applied.credentials[context.spec.credential]?.type === "local");
  if (!places.ok) return failed(places.reason);
  const guards = guardContext(context);
  const source = await checkSourceNotEmpty(guards);
  if (!source.ok) return stopped(context) ?? retryOrFail(context, source.reason, source.retryable === true, "listing the source");
  if (context.record.approval) return runRcloneOnce(context, null);
  const limit = await deletionLimit(guards);
  if (!limit.ok) return stopped(context) ?? retryOrFail(context, limit.reason, limit.retryable === true, "counting the destination");
  if (limit.value) context.note(`--- ${limit.value.note}`);
  return runRcloneOnce(context, limit.value?.limit ?? null);
}

async function runRcloneOnce(context: RunContext, maxDelete: number | null): Promise<Attempt> {
  const { spec, request } = context;
  const invocation = buildInvocation(spec, context.remotes, {
    dryRun: request.dryRun,
    filterFile: context.filterPath,
    localSource: context.localSource,
    maxDelete,
    timezone: request.applied.settings?.timezone ?? null,
    backupDir: spec.versions ? backupDirFor(endpoints(spec, context.remotes.remote, context.localSource).destination, versionStamp(new Date(context.record.started_at))) : null,
  });
  context.note(`--- rclone ${invocation.args.map(context.redact).join(" ")}${context.record.attempts > 1 ? ` (attempt ${context.record.attempts} of ${spec.retries + 1})` : ""}`);
  const before = context.record;
  let savedAt = 0;
  let undecryptable = 0;
  const outcome = await runRclone(context.settings.rclone, invocation, request.env, {
    signal: context.signal,
    graceMs: context.graceMs,
    onSpawn: (group) => context.update({ process_group: group }),
    onEvent: (event) => {
      if (isDecryptionFailure(event)) undecryptable++;
      if (event.kind === "stats") {
        context.record = { ...context.record, ...sum(before, event.stats) };
        request.onProgress?.(event.stats, context.record);
        // Saved about once a second, for other processes (status, the web page) to read its progress.
        if (Date.now() - savedAt >= PROGRESS_SAVE_MS) {
          savedAt = Date.now();
          context.update({});
        }
      }
      const line = formatLogEvent(event);
      if (line !== null) context.relay(line);
    },
  });
  context.update({ process_group: null });
  const stop = stopped(context);
  if (stop) return stop;

  const verdict = judgeTransfer({
    code: outcome.code,
    signal: outcome.signal,
    errorLines: outcome.errorLines,
    maxDelete,
    dryRun: request.dryRun,
    deletingAt: spec.direction === "push" ? remoteOf(spec) : spec.path,
    encrypted: spec.encryption !== null,
    undecryptable,
    progressed: context.record.files + context.record.checks !== before.files + before.checks,
    userArgs: spec.rclone_args,
    redact: context.redact,
  });
  switch (verdict.kind) {
    case "succeeded":
      if (verdict.warning) context.note(`--- warning: ${verdict.warning}`);
      return null;
    case "deletion-limit":
      context.update({ deletes: Math.min(context.record.deletes, before.deletes + verdict.maxDelete) });
      return { state: "HELD", error: `${verdict.reason}. cloudsync approve ${request.task} lets the next run go beyond the limit once` };
    case "failed":
      return retryOrFail(context, verdict.reason, verdict.retryable, verdict.summary);
  }
}

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
  return { spec, credential: request.applied.credentials[spec.credential]!, settings: request.applied.settings ?? DEFAULT_SETTINGS };
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
  const { spec, credential, settings } = task;
  const filterPath = join(temp, "filters");
  writeFileSync(filterPath, filterFile(spec.exclude, spec.include, [...NEVER_TRANSFERRED, VERSIONS_EXCLUDED]), { mode: 0o600 });
  const remotes = remoteConfig(credential, spec, backends);
  const secrets = [...secretsOf(request.applied), ...remotes.secrets];
  const redact = redactor(secrets);
  const context: RunContext = {
    request,
    spec,
    settings,
    store,
    signal,
    graceMs: request.graceMs ?? DEFAULT_GRACE_MS,
    filterPath,
    remotes,
    scriptEnv: scriptEnvironment(request, spec, record, secrets),
    record,
    localSource: spec.path,
    snapshot: undefined,
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
    saveError: undefined,
  };
  return context;
}

/** Lines of the check's report written to its log, at most (the counts cover the rest). */
const MAX_REPORT_LINES = 1_000;

/** A check: rclone check or cryptcheck, its combined report in the log, the verdict in the record. */
const verify: Step = async (context) => {
  const { spec, request } = context;
  const invocation = buildCheckInvocation(spec, context.remotes, { download: request.download === true, filterFile: context.filterPath, localSource: context.localSource });
  context.update({ attempts: 1 });
  context.note(`--- rclone ${invocation.args.map(context.redact).join(" ")}`);
  const marks: Mark[] = [];
  let reported = 0;
  const outcome = await runRclone(context.settings.rclone, { args: invocation.args, env: context.remotes.env }, request.env, {
    signal: context.signal,
    graceMs: context.graceMs,
    onSpawn: (group) => context.update({ process_group: group }),
    onStdout: (line) => {
      const entry = parseReportLine(line);
      if (!entry) return;
      marks.push(entry.mark);
      if (entry.mark !== "=" && reported++ < MAX_REPORT_LINES) context.relay(`${entry.mark} ${entry.path}`);
    },
    onEvent: (event) => {
      if (event.kind === "stats") {
        context.record = { ...context.record, checks: event.stats.checks };
        request.onProgress?.(event.stats, context.record);
        return;
      }
      const line = formatLogEvent(event);
      if (line !== null) context.relay(line);
    },
  });
  context.update({ process_group: null });
  const stop = stopped(context);
  if (stop) return stop;
  if (reported > MAX_REPORT_LINES) context.note(`--- … and ${reported - MAX_REPORT_LINES} more differences (the counts below cover them all)`);
  const counts = tally(marks, invocation.localIs);
  context.update({ check: counts, checks: marks.length });
  const verdict = judgeCheck({ code: outcome.code, signal: outcome.signal, errorLines: outcome.errorLines, redact: context.redact, counts }, spec);
  return verdict.ok ? null : failed(verdict.reason);
};

/**
 * After a successful run, version folders older than versions.keep go. A prune that fails is a
 * warning in the run's log: the backup itself succeeded. A dry run prunes nothing.
 */
const pruneVersions: Step = async (context) => {
  const { spec, request } = context;
  if (!spec.versions || request.dryRun) return null;
  const now = (request.now ?? (() => new Date()))();
  const keepMs = durationMs(spec.versions.keep);
  const seen = new VersionsSeen(request.stateDir);
  const last = seen.read(request.task);
  const thisRun = versionStamp(new Date(context.record.started_at));
  if (!pruneNeedsALook(last, keepMs, now)) {
    // Nothing can have expired since the last look; this run's folder is the newest.
    if (last!.oldest === null) seen.write(request.task, { ...last!, oldest: thisRun });
    return null;
  }
  const store = new VersionStore({
    rclone: context.settings.rclone,
    remotes: context.remotes,
    env: request.env,
    destination: endpoints(spec, context.remotes.remote, context.localSource).destination,
    signal: context.signal,
    onSpawn: (group) => context.update({ process_group: group }),
  });
  try {
    const stamps = await store.stamps();
    const expired = expiredStamps(stamps, keepMs, now);
    await store.remove(expired);
    if (expired.length > 0) context.note(`--- versions: removed ${expired.length} folder${expired.length === 1 ? "" : "s"} older than ${spec.versions.keep} (${expired.join(", ")})`);
    seen.write(request.task, { oldest: stamps.find((stamp) => !expired.includes(stamp)) ?? null, listed_at: now.toISOString() });
  } catch (error) {
    if (!(error instanceof VersionStoreError)) throw error;
    context.note(`--- warning: versions older than ${spec.versions.keep} could not be removed (the backup itself succeeded): ${context.redact(error.message)}`);
  } finally {
    context.update({ process_group: null });
  }
  return null;
};

const STEPS: Record<RunRecord["kind"], Step[]> = {
  run: [checkPath, snapshot, script("pre-script"), transfer, script("post-script"), pruneVersions],
  // A check never writes: no scripts, no snapshot, no guards.
  check: [checkPath, verify],
};

/** The steps in order, until one fails or the run is stopped. */
async function runSteps(context: RunContext): Promise<Failure | null> {
  for (const step of STEPS[context.record.kind]) {
    const failure = (await step(context)) ?? stopped(context);
    if (context.saveError) throw context.saveError;
    if (failure) return failure;
  }
  return null;
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
    record = { ...record, seq: store.nextSeq(request.task) };
    store.save(record);
    request.onStart?.(record);
    log = RunLog.open(logs.path(request.task, record.id), now);
    temp = temporaryDirectory();
    context = openContext(request, task, await backendCatalog(task.settings.rclone, request.env), store, record, control.signal, temp, log);
    const { spec } = task;
    context.note(`--- ${record.kind} ${record.id} of task ${request.task}${request.dryRun ? " (dry run)" : ""}${record.kind === "check" && request.download ? " (download)" : ""}, started ${record.started_at} (${record.trigger})`);
    for (const dead of reaped.aborted) context.note(`--- run ${dead.id} was left running by a process that died; marked ABORTED`);
    for (const note of reaped.snapshots) context.note(`--- ${note}`);
    context.note(`--- ${spec.direction} ${spec.transfer_mode}: ${spec.direction === "push" ? `${spec.path} → ${remoteOf(spec)}` : `${remoteOf(spec)} → ${spec.path}`}${spec.encryption ? " (encrypted)" : ""}`);

    const failure = await runSteps(context);
    record = { ...context.record, state: failure?.state ?? "SUCCESS", error: failure?.error ?? null, finished_at: now().toISOString(), process_group: null };
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
      for (const gone of store.prune(request.task, task.settings.log_retention)) logs.remove(request.task, gone.id);
      logs.compressFinished(store.list(request.task), now());
    } catch (error) {
      unsaved = error;
    }
    lock.release();
  }
  if (unsaved) throw unsaved;
  return record;
}
