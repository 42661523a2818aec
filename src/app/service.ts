// The service's use cases, whichever loop calls them: the reconcile pass (the
// file applied when it changed, the applied state followed, the service's lock
// kept), what a dead process left cleaned up, overdue tasks told once per
// episode, runs a stopped service missed, runs started from the page.
// src/watch only decides when: it owns the timers and the file watching.
import { createHash } from "node:crypto";
import { join, resolve } from "node:path";
import { ServiceDisplacedError, UserError } from "../errors.js";
import type { EventBus } from "../events/events.js";
import type { AppliedState } from "../model/applied-state.js";
import type { Diagnostic } from "../model/diagnostics.js";
import { describeHolder, describeTakeover } from "../model/lock.js";
import { lastSuccess, type RunRecord } from "../model/run-record.js";
import { reapIfIdle } from "../runner/reap.js";
import { nextRunAt } from "../scheduler/next-run.js";
import { overdueTasks } from "../scheduler/overdue.js";
import { FileLock, LockedError } from "../state/lock.js";
import { OverdueEpisodes } from "../state/overdue-episodes.js";
import { RunRecords } from "../state/run-records.js";
import type { StateStore } from "../state/store.js";
import { commitDesired } from "./apply.js";
import { runApplied, type RunOptions } from "./run.js";
import { readReferencedFile, type LoadedFile, type Workspace } from "./workspace.js";

export interface ServiceDeps {
  workspace: Workspace;
  store: StateStore;
  /** Reads and loads the configuration file. */
  load: () => Promise<LoadedFile>;
}

const notice = (events: EventBus, level: "info" | "warning" | "error", message: string) => events.emit({ type: "notice", level, message });

/** The service's own lock (watch.lock): one service per state directory. */
export class ServiceLock {
  private lock: FileLock | undefined;

  constructor(
    private readonly deps: Pick<ServiceDeps, "store" | "workspace">,
    /** Told when the lock file disappears or is taken while held (`unlock`, a deleted directory). */
    private readonly onLost: () => void,
  ) {}

  async take(): Promise<void> {
    const { store, workspace } = this.deps;
    try {
      this.lock = await FileLock.acquire(join(store.dir, "watch.lock"), {
        command: "watch",
        waitMs: 0,
        now: () => workspace.clock.now(),
        onTakeover: (holder, why) => notice(workspace.events, "warning", `took over from a service that is gone (${describeTakeover(holder, why)})`),
        onLost: this.onLost,
      });
    } catch (error) {
      if (!(error instanceof LockedError)) throw error;
      throw new UserError(`another cloudsync watch already serves ${store.dir}${error.holder ? ` (${describeHolder(error.holder)})` : ""}`, "Stop it first; one service per state directory.");
    }
  }

  /**
   * The lock must stay the service's: removed, it is taken again; taken by another service,
   * a ServiceDisplacedError says so (and this service stops).
   */
  async hold(): Promise<void> {
    if (this.lock?.refresh()) return;
    this.lock?.release();
    this.deps.store.ensureDir();
    try {
      await this.take();
    } catch (error) {
      if (error instanceof UserError) throw new ServiceDisplacedError(error.message, error.hint);
      throw error;
    }
    notice(this.deps.workspace.events, "warning", `the service's lock ${join(this.deps.store.dir, "watch.lock")} was removed while it ran; it is taken again`);
  }

  release(): void {
    this.lock?.release();
  }
}

/** What the service knows between reconcile passes. */
export interface ServiceView {
  applied: AppliedState;
  /** The diagnostics of the file as it stands, when it was rejected; null while it is applied. */
  rejection: Diagnostic[] | null;
  /** Files read through ${file:…} (and credentials), to be watched too. */
  watchedFiles: string[];
  /** The digest of the file (and the files it reads) last applied or rejected; null: apply it whatever it holds. */
  seenFile: string | null;
}

export function initialView(store: StateStore): ServiceView {
  return { applied: store.read(), rejection: null, watchedFiles: [], seenFile: null };
}

/** The file's contents and those of the files it reads, as one digest. */
function fileDigest(text: string | null, files: readonly string[]): string {
  const hash = createHash("sha256").update(text ?? "\0unreadable");
  for (const file of files) {
    let content: string;
    try {
      content = readReferencedFile(file);
    } catch (error) {
      content = `\0${(error as Error).message}`;
    }
    hash.update(`\0${file}\0${content}`);
  }
  return hash.digest("hex");
}

/** Applies the file when it differs from what was last applied or rejected; returns the view after it. */
async function applyFileIfChanged(deps: ServiceDeps, view: ServiceView, reason: string): Promise<ServiceView> {
  const { store, workspace } = deps;
  const loaded = await deps.load();
  if (view.seenFile !== null && fileDigest(loaded.text, view.watchedFiles) === view.seenFile) return view;
  const watchedFiles = loaded.referencedFiles.map((f) => resolve(f));
  let { applied, rejection } = view;
  if (!loaded.config || loaded.text === null) {
    rejection = loaded.diagnostics;
    workspace.events.emit({ type: "config.rejected", file: workspace.configName, reason, diagnostics: loaded.diagnostics });
  } else {
    rejection = null;
    for (const d of loaded.diagnostics) notice(workspace.events, d.severity, `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}`);
    const now = () => workspace.clock.now();
    applied = (await commitDesired({ store, events: workspace.events, now }, loaded.config, loaded.text, { command: "watch", waitMs: 10_000, now }, reason)).state;
  }
  return { applied, rejection, watchedFiles, seenFile: fileDigest(loaded.text, watchedFiles) };
}

/** The applied state now; one that has vanished (a deleted state directory) is written back from the service's memory. */
async function readState(deps: ServiceDeps, remembered: AppliedState): Promise<{ state: AppliedState; rewritten: boolean }> {
  const { store, workspace } = deps;
  const state = store.read();
  if (state.serial > 0 || remembered.serial === 0) return { state, rewritten: false };
  notice(workspace.events, "error", `the applied state in ${store.dir} is gone (was the directory deleted?); the service keeps the last applied configuration (serial ${remembered.serial}) and writes it back`);
  const lock = await store.lock({ command: "watch", waitMs: 10_000, now: () => workspace.clock.now() });
  try {
    // Unless an apply got there first.
    if (store.read().serial === 0) store.write(remembered);
  } finally {
    lock.release();
  }
  return { state: store.read(), rewritten: true };
}

export interface PassOutcome {
  view: ServiceView;
  /** The applied state is another than before the pass (a new serial or lineage). */
  changed: boolean;
  /** The state was written back: the state directory is worth watching again. */
  stateRewritten: boolean;
}

/**
 * One reconcile pass, level-based: looks at what is there now (the service's lock, the file and
 * the files it reads, the applied state) and returns what the service should follow. Throws what
 * went wrong (the caller retries with backoff).
 */
export async function reconcilePass(deps: ServiceDeps, lock: ServiceLock, view: ServiceView, reason: string): Promise<PassOutcome> {
  const before = `${view.applied.lineage}:${view.applied.serial}`;
  await lock.hold();
  const afterFile = await applyFileIfChanged(deps, view, reason);
  const { state, rewritten } = await readState(deps, afterFile.applied);
  if (state.serial !== afterFile.applied.serial || state.lineage !== afterFile.applied.lineage) {
    notice(deps.workspace.events, "info", `the applied state changed: following it (serial ${state.serial})`);
  }
  return { view: { ...afterFile, applied: state }, changed: `${state.lineage}:${state.serial}` !== before, stateRewritten: rewritten };
}

/** What a dead service (or run) left is over: what it ran is ended, its runs marked ABORTED, its snapshots removed. */
export async function cleanUpAfterDeadProcesses(deps: Pick<ServiceDeps, "workspace" | "store">, applied: AppliedState): Promise<void> {
  const records = new RunRecords(deps.store.dir);
  const { events, env, clock } = deps.workspace;
  for (const [task, spec] of Object.entries(applied.tasks)) {
    if (!spec.snapshot && !records.list(task).some((r) => r.state === "RUNNING")) continue;
    const reaped = await reapIfIdle(records, task, spec, env, clock.now());
    for (const record of reaped.aborted) notice(events, "warning", `run ${record.id} of ${task} was left running by a process that died; marked ABORTED`);
    for (const note of reaped.snapshots) notice(events, "info", `${task}: ${note}`);
  }
}

/**
 * Tells each overdue task once per episode (across restarts): whose last success is older than
 * its max_age. `watchedSince`: when the service began watching, on the wall clock as it reads now.
 */
export function tellOverdue(deps: Pick<ServiceDeps, "workspace" | "store">, applied: AppliedState, watchedSince: Date): void {
  const { events, clock } = deps.workspace;
  const records = new RunRecords(deps.store.dir);
  const now = clock.now();
  const found = overdueTasks(applied.tasks, (task) => lastSuccess(records.list(task)) ?? null, new Date(applied.applied_at ?? now.toISOString()), now, watchedSince);
  const episodes = new OverdueEpisodes(deps.store.dir);
  const told = episodes.read();
  const next: Record<string, string> = {};
  for (const overdue of found) {
    next[overdue.task] = overdue.episode;
    if (told[overdue.task] !== overdue.episode) events.emit({ type: "task.overdue", task: overdue.task, last_success: overdue.last_success, max_age: overdue.max_age });
  }
  if (JSON.stringify(next) !== JSON.stringify(told)) episodes.save(next);
}

/** Tasks with `catchup: true` whose scheduled time passed while no service ran, with that time. */
export function missedRuns(deps: Pick<ServiceDeps, "workspace" | "store">, applied: AppliedState): { task: string; missed: Date }[] {
  const records = new RunRecords(deps.store.dir);
  const now = deps.workspace.clock.now();
  const missed: { task: string; missed: Date }[] = [];
  for (const [task, spec] of Object.entries(applied.tasks)) {
    if (!spec.catchup || !spec.enabled || spec.schedule === null) continue;
    const since = records.list(task)[0]?.started_at ?? applied.applied_at;
    const at = since ? nextRunAt(spec.schedule, applied.settings?.timezone ?? null, new Date(since)) : null;
    if (at && at < now) missed.push({ task, missed: at });
  }
  return missed;
}

/** A run (or check) started now in the background: `started` settles once it has started (or could not), `done` when it has ended. */
export function startRun(
  deps: Pick<ServiceDeps, "workspace" | "store">,
  applied: AppliedState,
  task: string,
  options: RunOptions,
  runTask: typeof runApplied = runApplied,
): { started: Promise<RunRecord>; done: Promise<unknown> } {
  const { events, env, clock } = deps.workspace;
  let done: Promise<unknown> = Promise.resolve();
  const started = new Promise<RunRecord>((resolveStarted, reject) => {
    const unsubscribe = events.subscribe((event) => {
      if (event.type === "run.started" && event.record.task === task) {
        unsubscribe();
        resolveStarted(event.record);
      }
    });
    done = runTask({ stateDir: deps.store.dir, applied, env, events, clock }, task, options)
      .catch((error: unknown) => reject(error))
      .finally(unsubscribe);
  });
  return { started, done };
}

/** The long-running service as its front ends see it (src/watch builds it; the composition root hands it over). */
export interface Service {
  start(): Promise<void>;
  /** Re-reads everything, as SIGHUP asks. */
  reload(): void;
  /** Stops scheduling, aborts runs in progress and waits for them. `reason` is logged. */
  stop(reason: string): Promise<void>;
  /** Settles when the service has stopped by itself (another service took its state directory). */
  readonly failed: Promise<UserError>;
}

export type StartService = (deps: ServiceDeps & { webListen?: string }) => Promise<Service>;
