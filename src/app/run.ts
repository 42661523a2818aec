import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Clock } from "../clock.js";
import type { EventBus } from "../events/events.js";
import type { RunRecord } from "../model/run-record.js";
import { RunLogs } from "../state/run-logs.js";
import { RunRecords } from "../state/run-records.js";
import { runTask } from "../runner/run-task.js";
import { emptyState, type AppliedState } from "../model/applied-state.js";
import { sha256 } from "../plan/planfile.js";
import { fsReason, UserError } from "../errors.js";
import { Reporting } from "./reporting.js";
import { editedConfig, loadValidFile, locateStore, type Workspace } from "./workspace.js";

export interface RunOptions {
  /** A transfer (default), or a check of what the remote holds (which never writes). */
  kind?: RunRecord["kind"];
  dryRun?: boolean;
  /** A check compares content byte for byte. */
  download?: boolean;
  trigger: RunRecord["trigger"];
  /** Aborting it stops the run (Ctrl-C, service shutdown); the run ends ABORTED. */
  signal: AbortSignal;
  /** After SIGTERM, how long a script or rclone gets before SIGKILL. */
  graceMs?: number;
  /** Only this one of the task's destinations. */
  destination?: string;
}

/** What a run needs besides the task: the state it runs from, and where to tell what happens. */
export interface RunDeps {
  stateDir: string;
  applied: AppliedState;
  env: NodeJS.ProcessEnv;
  events: EventBus;
  clock: Clock;
}

/**
 * Runs an applied task now. Whoever starts it (the CLI, the service, the web
 * page), the run emits run.started, run.progress and run.finished.
 */
export async function runApplied(deps: RunDeps, task: string, options: RunOptions): Promise<RunRecord> {
  let started: RunRecord | undefined;
  let record: RunRecord;
  try {
    record = await startedRun(deps, task, options, (record) => (started = record));
  } catch (error) {
    if (!started) throw error;
    // It started, but its end could not be recorded (a full disk): it ends FAILED all the same for
    // whoever follows runs (the service's log, notifications, metrics), and a bug is still a bug.
    const expected = error instanceof UserError;
    record = { ...started, state: "FAILED", finished_at: deps.clock.now().toISOString(), error: expected ? error.message : "the run ended in an internal error", process_group: null };
    deps.events.emit(record.kind === "check" ? { type: "check.finished", record } : { type: "run.finished", record, previous: null });
    if (!expected) throw error;
    return record;
  }
  if (record.kind === "check") {
    deps.events.emit({ type: "check.finished", record });
    return record;
  }
  const previous = new RunRecords(deps.stateDir).list(task).find((r) => r.id !== record.id && r.kind === "run" && !r.dry_run && r.state !== "RUNNING" && r.seq < record.seq);
  deps.events.emit({ type: "run.finished", record, previous: previous?.state ?? null });
  return record;
}

function startedRun(deps: RunDeps, task: string, options: RunOptions, onStart: (record: RunRecord) => void): Promise<RunRecord> {
  return runTask({
    stateDir: deps.stateDir,
    task,
    kind: options.kind,
    download: options.download,
    applied: deps.applied,
    dryRun: options.dryRun === true,
    trigger: options.trigger,
    env: deps.env,
    signal: options.signal,
    graceMs: options.graceMs,
    destination: options.destination,
    now: () => deps.clock.now(),
    onStart: (started) => {
      onStart(started);
      deps.events.emit({ type: "run.started", record: started });
    },
    onProgress: (stats, current) => deps.events.emit({ type: "run.progress", record: current, stats }),
  });
}

/**
 * `run TASK` (and `check TASK`): runs what is applied, saying so when the file differs from it.
 * That is found out while rclone runs (at its first progress, or its end), not before it starts:
 * reading, hashing and perhaps loading the file would delay every run.
 */
export async function run(ws: Workspace, task: string, options: RunOptions): Promise<RunRecord> {
  const { store, text } = await locateStore(ws);
  const applied = store.read();
  let telling: Promise<void> | null = applied.tasks[task] ? null : Promise.resolve();
  const unsubscribe = ws.events.subscribe((event) => {
    if (telling || !((event.type === "run.progress" || event.type === "run.finished" || event.type === "check.finished") && event.record.task === task)) return;
    // A file that cannot be read now changes nothing of the run.
    telling = tellIfEdited(ws, task, text, applied).catch(() => undefined);
  });
  try {
    return await runReported(ws, store.dir, applied, task, options);
  } finally {
    unsubscribe();
    // Before the outcome is told.
    await telling;
  }
}

async function tellIfEdited(ws: Workspace, task: string, text: string | null, applied: AppliedState): Promise<void> {
  const edited = await editedConfig(ws, text, applied);
  // Loaded here, not at start: a run that needs no plan does not wait for its code.
  const { computePlan } = await import("../plan/diff.js");
  const change = edited && computePlan(edited, applied).changes.find((c) => c.address === `task.${task}` || (c.kind === "credential" && c.name === applied.tasks[task]!.credential) || c.kind === "settings");
  if (change) {
    ws.events.emit({
      type: "notice",
      level: "info",
      message: `${ws.configName} differs from what is applied (${change.address}); this runs the applied version. cloudsync apply updates it.`,
    });
  }
}

/** A run outside the service reports as a scheduled one does: notifications (the caller may wait for delivery: events.settled), and the metrics textfile, if there is one. */
async function runReported(ws: Workspace, stateDir: string, applied: AppliedState, task: string, options: RunOptions): Promise<RunRecord> {
  const reporting = new Reporting(ws.events, { stateDir, applied: () => applied, env: ws.env, clock: ws.clock });
  try {
    await reporting.follow(true);
    return await runApplied({ stateDir, applied, env: ws.env, events: ws.events, clock: ws.clock }, task, options);
  } finally {
    await reporting.close();
  }
}

export interface EphemeralRun {
  record: RunRecord;
  /** The run's log (its state directory is gone when the run is). */
  log: string;
}

/**
 * `run TASK --ephemeral`: the task as the file states it, with no applied
 * state (a CronJob's container has none). The file is validated first; the
 * record and log go to --state-dir when one is given, else to a temporary
 * directory removed afterwards.
 */
export async function runEphemeral(ws: Workspace, task: string, options: RunOptions): Promise<EphemeralRun> {
  const { config, text } = await loadValidFile(ws);
  if (!config.tasks[task]) {
    const known = Object.keys(config.tasks).sort();
    throw new UserError(`there is no task ${task} in ${ws.configName}`, known.length > 0 ? `Tasks: ${known.join(", ")}.` : "The file has no tasks.");
  }
  const state: AppliedState = {
    ...emptyState(),
    serial: 1,
    lineage: "ephemeral",
    applied_at: ws.clock.now().toISOString(),
    config_sha256: sha256(text),
    settings: config.settings,
    credentials: config.credentials,
    notifications: config.notifications,
    tasks: config.tasks,
  };
  let temporary: string | null = null;
  try {
    temporary = ws.stateDirOverride ? null : mkdtempSync(join(tmpdir(), "cloudsync-ephemeral-"));
  } catch (error) {
    throw new UserError(`cannot make a temporary state directory in ${tmpdir()}: ${fsReason(error)}`, "Point TMPDIR at a writable directory, or give --state-dir.");
  }
  const stateDir = ws.stateDirOverride ?? temporary!;
  try {
    const record = await runReported(ws, stateDir, state, task, options);
    const { readLog } = await import("./logs.js");
    return { record, log: readLog({ logs: new RunLogs(stateDir), record }).chunk.toString() };
  } finally {
    if (temporary) rmSync(temporary, { recursive: true, force: true });
  }
}
