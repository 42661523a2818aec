import { createHash } from "node:crypto";
import { statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { commitDesired } from "../app/apply.js";
import { runApplied, type RunOptions } from "../app/run.js";
import { readReferencedFile, type LoadedFile, type Workspace } from "../app/workspace.js";
import { forgetDashboardAddress, generatedDashboardToken, recordDashboardAddress } from "../state/dashboard-access.js";
import { UserError } from "../errors.js";
import type { Diagnostic } from "../model/diagnostics.js";
import { lastSuccess } from "../model/run-record.js";
import { OverdueEpisodes } from "../state/overdue-episodes.js";
import { RunRecords } from "../state/run-records.js";
import { reapIfIdle } from "../runner/reap.js";
import { nextRunAt } from "../scheduler/next-run.js";
import { overdueTasks } from "../scheduler/overdue.js";
import { Scheduler, type ScheduledTask } from "../scheduler/scheduler.js";
import { FileLock, LockedError } from "../state/lock.js";
import { describeHolder, describeTakeover } from "../model/lock.js";
import type { AppliedState } from "../model/applied-state.js";
import type { StateStore } from "../state/store.js";
import { watchWithChokidar, type FileWatcher, type WatchFiles } from "./files.js";
import { Notifier, type NotifierOptions } from "../notify/notifier.js";
import type { Dashboard } from "../web/server.js";
import type { RunRecord } from "../model/run-record.js";
import { MetricsPublisher } from "../metrics/publisher.js";
import { serveMetrics, type MetricsServer } from "../metrics/server.js";
import { ForeignRuns } from "./foreign-runs.js";
import { collectGarbage } from "./memory.js";
import { RunPool } from "./pool.js";

export interface ServiceOptions {
  /** The file, the environment, the clock and the event stream the service reports to. */
  workspace: Workspace;
  store: StateStore;
  /** Reads and loads the configuration file. */
  load: () => Promise<LoadedFile>;
  /** Runs one applied task (the operations layer's run, unless a test stands in). */
  runTask?: typeof runApplied;
  watchFiles?: WatchFiles;
  /** Gives back memory once a reconcile has settled (the real collector, unless a test stands in). */
  releaseMemory?: () => void;
  /** Bounds of notification delivery (tests shorten them). */
  delivery?: NotifierOptions["delivery"];
  /** `watch --web ADDR`: serve the dashboard there, whatever settings.web.listen says. */
  webListen?: string;
}

const DEBOUNCE_MS = 100;
/** A failed reconcile is tried again after 1 s, 2 s, 4 s … at most this long. */
const MAX_RETRY_MS = 5 * 60_000;
/** Quiet time after a reconcile before the service gives back what it allocated. */
const SETTLE_MS = 1_000;
const QUIET_MS = 10_000;
/** A stopping service gives rclone this long after SIGTERM, and the last notifications this long, to be gone well within 10 s. */
const SHUTDOWN_GRACE_MS = 5_000;
const SHUTDOWN_NOTIFY_MS = 3_000;
/** How often the service looks for runs other processes do, while the page or metrics listen. */
const FOREIGN_RUNS_MS = 1_000;
/** How often the service looks for overdue tasks. */
const OVERDUE_CHECK_MS = 60_000;
/**
 * How often the service compares the file and the applied state with what it last reconciled, in case
 * a change event was lost (file watchers coalesce and throttle events of files replaced by rename).
 */
const RESYNC_MS = 5_000;

const CHECK = "check:";

/** What the scheduler and the pool know a task's run (`TASK`) and check (`check:TASK`) by. */
function scheduled(key: string): { task: string; kind: RunRecord["kind"] } {
  return key.startsWith(CHECK) ? { task: key.slice(CHECK.length), kind: "check" } : { task: key, kind: "run" };
}

/** Every schedule of the applied tasks: their runs', and their checks'. */
function schedules(state: AppliedState): Record<string, ScheduledTask> {
  const all: Record<string, ScheduledTask> = {};
  for (const [task, spec] of Object.entries(state.tasks)) {
    all[task] = spec;
    if (spec.check) all[`${CHECK}${task}`] = { schedule: spec.check.schedule, enabled: spec.enabled };
  }
  return all;
}

/** Why a reconcile happened: the triggers since the last one, for the log. */
type Trigger = "start" | "the file changed" | "the applied state changed" | "SIGHUP" | "retry" | "the watch lock changed";
/** The trigger a reconcile is logged under when several came together (the service's own apply also changes the state). */
const TRIGGER_PRIORITY: Trigger[] = ["SIGHUP", "start", "the file changed", "the applied state changed", "the watch lock changed", "retry"];

/**
 * The long-running service: applies the file on start and whenever it
 * changes, runs the applied tasks on their schedules, stops cleanly.
 * Level-based, as controller-runtime reconciles: every trigger leads to the
 * same reconcile, which looks at what is there now (the file's contents, the
 * applied state, its own lock) and makes the schedule match it; a failure is
 * retried with backoff rather than left until the next save.
 */
export class WatchService {
  private applied: AppliedState;
  private readonly runs: RunRecords;
  private readonly scheduler: Scheduler;
  private readonly pool: RunPool;
  private watcher: FileWatcher | undefined;
  private lock: FileLock | undefined;
  private debounce: unknown;
  private retry: unknown;
  private retryMs = 1_000;
  private settle: unknown;
  private overdueTimer: unknown;
  private resyncTimer: unknown;
  /** What the file and the applied state looked like (inode, size, mtime) when the last reconcile began. */
  private reconciledStats = { file: "", state: "" };
  private watchedFiles: string[] = [];
  /** The digest of the file (and the files it reads) last applied or rejected; null: apply it whatever it holds. */
  private seenFile: string | null = null;
  private triggers = new Set<Trigger>();
  /** The diagnostics of the file as it stands, when it was rejected; null while it is applied. */
  rejection: Diagnostic[] | null = null;
  private reconciling: Promise<void> = Promise.resolve();
  private stopping = false;
  private failure: ((error: UserError) => void) | undefined;
  private detachNotifier: (() => void) | undefined;
  /** The metrics of every applied task, for /metrics and the textfile: kept only while settings.metrics asks for them. */
  private metrics: { publisher: MetricsPublisher; detach: () => void; server: MetricsServer | undefined } | undefined;
  private dashboard: Dashboard | undefined;
  /** Runs started from the page (Run now, Dry run): stopped with the service. */
  private readonly manualRuns = new Map<string, { controller: AbortController; done: Promise<unknown> }>();
  private readonly startedAt: string;
  /** The start on the monotonic clock, which no step of the wall clock moves. */
  private readonly startedMono: number;
  private readonly foreign: ForeignRuns;
  private foreignTimer: unknown;
  /** Settles when the service has stopped by itself (it lost its state directory to another service). */
  readonly failed: Promise<UserError>;

  constructor(private readonly options: ServiceOptions) {
    this.applied = options.store.read();
    this.runs = new RunRecords(options.store.dir);
    this.scheduler = new Scheduler(
      options.workspace.clock,
      (key) => this.due(key),
      ({ task, at, reason }) => {
        const { task: name, kind } = scheduled(task);
        this.events.emit({ type: "run.skipped", task: kind === "check" ? `the check of ${name}` : name, reason: `its time ${at.toISOString()} passed: ${reason}` });
      },
    );
    // A run and a check of one task are one group: they never overlap, and share max_parallel_runs.
    this.pool = new RunPool(this.applied.settings?.max_parallel_runs ?? 4, (key, signal) => this.run(key, signal), (key) => scheduled(key).task);
    this.failed = new Promise((resolve) => (this.failure = resolve));
    this.startedAt = options.workspace.clock.now().toISOString();
    this.startedMono = options.workspace.clock.monotonic();
    this.foreign = new ForeignRuns(options.store.dir, options.workspace.events, () => new Set([...this.pool.runningTasks(), ...this.manualRuns.keys()]));
  }

  private get events() {
    return this.options.workspace.events;
  }

  private notice(level: "info" | "warning" | "error", message: string): void {
    this.events.emit({ type: "notice", level, message });
  }

  private now(): Date {
    return this.options.workspace.clock.now();
  }

  async start(): Promise<void> {
    const { store } = this.options;
    store.ensureDir();
    await this.takeServiceLock();
    // What a dead service (or run) left is over: end what it ran, mark its runs ABORTED, remove its snapshots.
    for (const [task, spec] of Object.entries(this.applied.tasks)) {
      if (!spec.snapshot && !this.runs.list(task).some((r) => r.state === "RUNNING")) continue;
      const reaped = await reapIfIdle(this.runs, task, spec, this.options.workspace.env, this.now());
      for (const record of reaped.aborted) this.notice("warning", `run ${record.id} of ${task} was left running by a process that died; marked ABORTED`);
      for (const note of reaped.snapshots) this.notice("info", `${task}: ${note}`);
    }
    // Watch before the first apply, so that a save made meanwhile is not missed.
    const configPath = this.options.workspace.configPath;
    this.watcher = await (this.options.watchFiles ?? watchWithChokidar)(
      [dirname(configPath), store.dir],
      (path) => {
        const changed = resolve(path);
        if (changed === configPath || this.watchedFiles.includes(changed)) this.trigger("the file changed");
        else if (changed === store.statePath || changed === store.dir) this.trigger("the applied state changed");
      },
      (error) => this.notice("warning", `watching files: ${error.message}; changes are still seen within ${RESYNC_MS / 1000} s`),
    );
    this.detachNotifier = new Notifier({ config: () => this.applied, stateDir: store.dir, env: this.options.workspace.env, delivery: this.options.delivery }).attach(this.events);
    this.events.emit({ type: "service.started", pid: process.pid, config: configPath, state_dir: store.dir });
    this.triggers.add("start");
    await this.reconcile(true);
    if (this.applied.serial === 0 && this.rejection !== null) {
      throw new UserError(`${this.options.workspace.configName} has errors and nothing is applied yet; fix the file, then start the service`);
    }
    this.catchUp();
    this.checkOverdue();
    this.resyncLater();
  }

  /** Reconciles when the file or the applied state changed without the watcher telling. */
  private resyncLater(): void {
    const { clock } = this.options.workspace;
    this.resyncTimer = clock.setTimeout(() => {
      if (this.stopping) return;
      const now = this.statsNow();
      if (now.file !== this.reconciledStats.file) this.trigger("the file changed");
      else if (now.state !== this.reconciledStats.state) this.trigger("the applied state changed");
      this.resyncLater();
    }, RESYNC_MS);
  }

  private statsNow(): { file: string; state: string } {
    const of = (path: string) => {
      try {
        const stats = statSync(path);
        return `${stats.ino}:${stats.size}:${stats.mtimeMs}`;
      } catch (error) {
        return (error as NodeJS.ErrnoException).code ?? "unreadable";
      }
    };
    return { file: of(this.options.workspace.configPath), state: of(this.options.store.statePath) };
  }

  /** Re-reads everything, as SIGHUP asks: the file is applied again even if it looks unchanged. */
  reload(): void {
    this.notice("info", "SIGHUP: re-reading the file");
    this.seenFile = null;
    this.trigger("SIGHUP");
  }

  /** Stops scheduling, aborts runs in progress and waits for them, releases the lock. `reason` is logged if the service had started. */
  async stop(reason: string): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    if (this.watcher) this.events.emit({ type: "service.stopping", reason });
    const { clock } = this.options.workspace;
    for (const timer of [this.debounce, this.retry, this.settle, this.overdueTimer, this.foreignTimer, this.resyncTimer]) if (timer !== undefined) clock.clearTimeout(timer);
    this.scheduler.stop();
    await this.watcher?.close();
    await this.reconciling;
    await this.pool.stopAll();
    for (const { controller } of this.manualRuns.values()) controller.abort();
    await Promise.all([...this.manualRuns.values()].map((r) => r.done));
    if (this.dashboard) {
      await this.dashboard.close();
      forgetDashboardAddress(this.options.store.dir);
    }
    // Notifications of the last runs get a moment to go out.
    await this.events.settled(SHUTDOWN_NOTIFY_MS);
    this.detachNotifier?.();
    await this.keepMetrics(false, false);
    this.lock?.release();
  }

  /** Settles once no reconcile is running or waiting to start after one. */
  async idle(): Promise<void> {
    let current: Promise<void>;
    do {
      current = this.reconciling;
      await current;
    } while (current !== this.reconciling);
  }

  /** Something changed: reconcile once the burst settles (editors write, rename, touch). */
  trigger(why: Trigger): void {
    if (this.stopping) return;
    this.triggers.add(why);
    const { clock } = this.options.workspace;
    if (this.debounce !== undefined) clock.clearTimeout(this.debounce);
    this.debounce = clock.setTimeout(() => {
      this.debounce = undefined;
      this.reconciling = this.reconciling.then(() => this.reconcile());
    }, DEBOUNCE_MS);
  }

  /** Looks at what is there now and makes the service match it. Never throws: a failure is retried later. */
  private async reconcile(atStart = false): Promise<void> {
    if (this.stopping) return;
    const reason = TRIGGER_PRIORITY.find((t) => this.triggers.has(t)) ?? "retry";
    this.triggers.clear();
    this.reconciledStats = this.statsNow();
    try {
      const before = `${this.applied.lineage}:${this.applied.serial}`;
      await this.holdServiceLock();
      await this.applyFileIfChanged(reason);
      this.follow(await this.readState());
      await this.keepMetrics(`${this.applied.lineage}:${this.applied.serial}` !== before);
      await this.keepDashboard();
      this.watchForeignRuns();
      this.retryMs = 1_000;
    } catch (error) {
      if (this.stopping) return;
      // An address the service cannot serve on is the user's to fix: at start it stops the service, saying why.
      if (atStart && error instanceof UserError && /^cannot serve|^refusing to serve/.test(error.message)) throw error;
      const message = error instanceof Error ? error.message : String(error);
      this.notice("error", `${reason}: could not reconcile (${message}); trying again in ${Math.round(this.retryMs / 1000)} s`);
      const { clock } = this.options.workspace;
      if (this.retry !== undefined) clock.clearTimeout(this.retry);
      this.retry = clock.setTimeout(() => {
        this.retry = undefined;
        this.trigger("retry");
      }, this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
    }
    this.releaseMemoryLater();
  }

  private async takeServiceLock(): Promise<void> {
    const { store } = this.options;
    try {
      this.lock = await FileLock.acquire(join(store.dir, "watch.lock"), {
        command: "watch",
        waitMs: 0,
        now: () => this.now(),
        onTakeover: (holder, why) => this.notice("warning", `took over from a service that is gone (${describeTakeover(holder, why)})`),
        onLost: () => this.trigger("the watch lock changed"),
      });
    } catch (error) {
      if (!(error instanceof LockedError)) throw error;
      throw new UserError(`another cloudsync watch already serves ${store.dir}${error.holder ? ` (${describeHolder(error.holder)})` : ""}`, "Stop it first; one service per state directory.");
    }
  }

  /** The service's lock must stay its own: removed (unlock, a deleted directory) it is taken again; taken by another service, this one stops. */
  private async holdServiceLock(): Promise<void> {
    if (this.lock?.refresh()) return;
    this.lock?.release();
    try {
      this.options.store.ensureDir();
      await this.takeServiceLock();
      this.notice("warning", `the service's lock ${join(this.options.store.dir, "watch.lock")} was removed while it ran; it is taken again`);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      this.notice("error", `${error.message}: this service stops`);
      this.failure?.(error);
    }
  }

  /** The file's contents and those of the files it reads through ${file:…}, as one digest. */
  private fileDigest(text: string | null): string {
    const hash = createHash("sha256").update(text ?? "\0unreadable");
    for (const file of this.watchedFiles) {
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

  /** Applies the file when it differs from what was last applied or rejected. */
  private async applyFileIfChanged(reason: string): Promise<void> {
    const loaded = await this.options.load();
    if (this.seenFile !== null && this.fileDigest(loaded.text) === this.seenFile) return;
    await this.applyLoaded(loaded, reason);
  }

  private async applyLoaded(loaded: LoadedFile, reason: string): Promise<void> {
    const { store, workspace } = this.options;
    const referenced = loaded.referencedFiles.map((f) => resolve(f));
    const added = referenced.filter((f) => !this.watchedFiles.includes(f));
    this.watchedFiles = referenced;
    // Secrets read through ${file:…} often live elsewhere (/run/secrets); follow them too.
    if (added.length > 0) this.watcher?.add(added);
    if (!loaded.config || loaded.text === null) {
      this.rejection = loaded.diagnostics;
      this.events.emit({ type: "config.rejected", file: workspace.configName, reason, diagnostics: loaded.diagnostics });
    } else {
      this.rejection = null;
      for (const d of loaded.diagnostics) this.notice(d.severity, `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}`);
      const { state } = await commitDesired({ store, events: this.events, now: () => this.now() }, loaded.config, loaded.text, { command: "watch", waitMs: 10_000, now: () => this.now() }, reason);
      this.applied = state;
    }
    this.seenFile = this.fileDigest(loaded.text);
  }

  /** The applied state now; one that has vanished (a deleted state directory) is written back from memory. */
  private async readState(): Promise<AppliedState> {
    const { store } = this.options;
    const state = store.read();
    if (state.serial > 0 || this.applied.serial === 0) return state;
    this.notice("error", `the applied state in ${store.dir} is gone (was the directory deleted?); the service keeps the last applied configuration (serial ${this.applied.serial}) and writes it back`);
    const lock = await store.lock({ command: "watch", waitMs: 10_000, now: () => this.now() });
    try {
      // Unless an apply got there first.
      if (store.read().serial === 0) store.write(this.applied);
    } finally {
      lock.release();
    }
    this.watcher?.add([store.dir]);
    return store.read();
  }

  /** Schedules what is applied; stops runs of tasks that were deleted or disabled. */
  private follow(state: AppliedState): void {
    if (state.serial !== this.applied.serial || state.lineage !== this.applied.lineage) {
      this.notice("info", `the applied state changed: following it (serial ${state.serial})`);
    }
    this.applied = state;
    this.pool.setMax(state.settings?.max_parallel_runs ?? 4);
    const { added, removed, changed } = this.scheduler.update(schedules(state), state.settings?.timezone ?? null);
    const next = this.scheduler.nextRuns();
    const now = [...added, ...changed].map((key) => {
      const { task, kind } = scheduled(key);
      const spec = state.tasks[task]!;
      return { task, kind, schedule: kind === "check" ? spec.check!.schedule : spec.schedule!, next: next[key]?.toISOString() ?? null };
    });
    const gone = removed.map(scheduled);
    if (now.length > 0 || gone.length > 0) this.events.emit({ type: "schedule.updated", scheduled: now, unscheduled: gone.filter((g) => g.kind === "run").map((g) => g.task), unscheduled_checks: gone.filter((g) => g.kind === "check").map((g) => g.task) });
    // As TrueNAS does: deleting or disabling a task stops its run.
    for (const task of this.pool.runningTasks()) {
      const spec = state.tasks[task];
      if (spec?.enabled) continue;
      this.notice("warning", `${task} was ${spec ? "disabled" : "deleted"} while running: aborting its run`);
      this.pool.abort(task);
    }
  }

  /**
   * Metrics while settings.metrics asks for them: the publisher follows the
   * event stream (reading every task again when the applied tasks changed),
   * and /metrics is served on settings.metrics.listen, moved or stopped when that changes.
   */
  private async keepMetrics(changed: boolean, wanted = true): Promise<void> {
    const settings = this.applied.settings?.metrics;
    const listen = wanted ? (settings?.listen ?? null) : null;
    if (!wanted || (!listen && !settings?.textfile)) {
      this.metrics?.detach();
      await this.metrics?.server?.close();
      this.metrics = undefined;
      return;
    }
    if (!this.metrics) {
      const publisher = new MetricsPublisher({ stateDir: this.options.store.dir, applied: () => this.applied, env: this.options.workspace.env, now: () => this.now(), queued: () => this.pool.queued() });
      this.metrics = { publisher, detach: publisher.attach(this.events), server: undefined };
      // The reload that made them wanted happened before they listened.
      publisher.text.setGlobal({ reload: { success: this.rejection === null, at: this.now().getTime() / 1000 } });
      changed = true;
    }
    const { publisher } = this.metrics;
    if (changed) {
      await publisher.loadAll();
      publisher.writeTextfile((message) => this.notice("warning", message));
    }
    if (this.metrics.server?.address === listen) return;
    await this.metrics.server?.close();
    this.metrics.server = undefined;
    if (listen === null) return;
    this.metrics.server = await serveMetrics(
      listen,
      publisher.text,
      () => publisher.text.setGlobal({ queued: this.pool.queued() }),
      (error) => this.notice("warning", `metrics: ${error.message}`),
    );
    this.notice("info", `serving metrics on ${this.metrics.server.url}/metrics`);
  }

  /** The dashboard on `watch --web ADDR` or settings.web.listen, moved or stopped when that changes. */
  private async keepDashboard(): Promise<void> {
    const listen = this.options.webListen ?? this.applied.settings?.web.listen ?? null;
    if (this.dashboard?.address === listen) return;
    await this.dashboard?.close();
    this.dashboard = undefined;
    forgetDashboardAddress(this.options.store.dir);
    if (listen === null) return;
    const { serveDashboard } = await import("../web/server.js");
    const stateDir = this.options.store.dir;
    this.dashboard = await serveDashboard(listen, {
      workspace: this.options.workspace,
      stateDir,
      applied: () => this.applied,
      rejection: () => this.rejection,
      runNow: (task, dryRun) => this.runNow(task, dryRun),
      checkNow: (task, download) => this.checkNow(task, download),
      service: { pid: process.pid, since: this.startedAt },
      generatedToken: generatedDashboardToken(stateDir),
    });
    recordDashboardAddress(stateDir, { url: this.dashboard.url, pid: process.pid });
    const login = this.applied.settings?.web.token ? "log in with settings.web.token" : "cloudsync dashboard prints the login link";
    this.notice("info", `serving the dashboard on ${this.dashboard.url}/ (${login})`);
  }

  /** While the page or metrics listen, runs other processes do here are told on the stream too. */
  private watchForeignRuns(): void {
    const { clock } = this.options.workspace;
    const wanted = this.dashboard !== undefined || this.metrics !== undefined;
    if (!wanted || this.foreignTimer !== undefined || this.stopping) return;
    const tick = () => {
      this.foreignTimer = undefined;
      if (this.stopping || (this.dashboard === undefined && this.metrics === undefined)) return;
      this.foreign.poll();
      this.foreignTimer = clock.setTimeout(tick, FOREIGN_RUNS_MS);
    };
    this.foreignTimer = clock.setTimeout(tick, FOREIGN_RUNS_MS);
  }

  /** Check from the page: started at once, resolving once it has started. */
  checkNow(task: string, download: boolean): Promise<RunRecord> {
    return this.startNow(task, { kind: "check", download });
  }

  /** Run now or Dry run from the page: started at once (not queued), resolving once it has started. */
  runNow(task: string, dryRun: boolean): Promise<RunRecord> {
    return this.startNow(task, { kind: "run", dryRun });
  }

  private startNow(task: string, what: Pick<RunOptions, "kind" | "dryRun" | "download">): Promise<RunRecord> {
    const { workspace, store } = this.options;
    if (this.stopping) return Promise.reject(new UserError("the service is stopping"));
    return new Promise((resolve, reject) => {
      const controller = new AbortController();
      const unsubscribe = this.events.subscribe((event) => {
        if (event.type === "run.started" && event.record.task === task) {
          unsubscribe();
          resolve(event.record);
        }
      });
      const done = (this.options.runTask ?? runApplied)({ stateDir: store.dir, applied: this.applied, env: workspace.env, events: this.events, clock: workspace.clock }, task, { ...what, trigger: "manual", signal: controller.signal, graceMs: SHUTDOWN_GRACE_MS })
        .catch((error: unknown) => reject(error))
        .finally(() => {
          unsubscribe();
          if (this.manualRuns.get(task)?.controller === controller) this.manualRuns.delete(task);
        });
      this.manualRuns.set(task, { controller, done });
    });
  }

  private releaseMemoryLater(): void {
    const { clock } = this.options.workspace;
    const release = this.options.releaseMemory ?? collectGarbage;
    if (this.settle !== undefined) clock.clearTimeout(this.settle);
    this.settle = clock.setTimeout(() => {
      release();
      // V8 shrinks the young generation only once allocation has been quiet for a while: one more pass then.
      this.settle = clock.setTimeout(() => {
        this.settle = undefined;
        release();
      }, QUIET_MS);
    }, SETTLE_MS);
  }

  /** Tasks whose last success is older than their max_age: told once per episode (across restarts), checked every minute. */
  private checkOverdue(): void {
    const { clock } = this.options.workspace;
    if (this.stopping) return;
    try {
      const now = this.now();
      // When the service started, on the wall clock as it reads now (a step since moves it along).
      const watchedSince = new Date(now.getTime() - (clock.monotonic() - this.startedMono));
      const found = overdueTasks(this.applied.tasks, (task) => lastSuccess(this.runs.list(task)) ?? null, new Date(this.applied.applied_at ?? now.toISOString()), now, watchedSince);
      const episodes = new OverdueEpisodes(this.options.store.dir);
      const told = episodes.read();
      const next: Record<string, string> = {};
      for (const overdue of found) {
        next[overdue.task] = overdue.episode;
        if (told[overdue.task] !== overdue.episode) this.events.emit({ type: "task.overdue", task: overdue.task, last_success: overdue.last_success, max_age: overdue.max_age });
      }
      if (JSON.stringify(next) !== JSON.stringify(told)) episodes.save(next);
    } catch (error) {
      this.notice("error", `could not check for overdue tasks: ${error instanceof Error ? error.message : String(error)}`);
    }
    this.overdueTimer = clock.setTimeout(() => this.checkOverdue(), OVERDUE_CHECK_MS);
  }

  /** Tasks with `catchup: true` whose scheduled time passed while no service ran: once, now. */
  private catchUp(): void {
    const now = this.now();
    for (const [task, spec] of Object.entries(this.applied.tasks)) {
      if (!spec.catchup || !spec.enabled || spec.schedule === null) continue;
      const since = this.runs.list(task)[0]?.started_at ?? this.applied.applied_at;
      const missed = since ? nextRunAt(spec.schedule, this.applied.settings?.timezone ?? null, new Date(since)) : null;
      if (missed && missed < now) {
        this.notice("info", `${task} missed its run at ${missed.toISOString()}: catching up`);
        this.due(task);
      }
    }
  }

  private due(key: string): void {
    const { task, kind } = scheduled(key);
    const outcome = this.pool.enqueue(key);
    const what = kind === "check" ? `the check of ${task}` : task;
    if (outcome === "skipped") this.events.emit({ type: "run.skipped", task: what, reason: "still running (or waiting)" });
    if (outcome === "queued") this.events.emit({ type: "run.queued", task: what, max_parallel_runs: this.applied.settings?.max_parallel_runs ?? 4 });
  }

  private async run(key: string, signal: AbortSignal): Promise<void> {
    const { workspace, store } = this.options;
    const { task, kind } = scheduled(key);
    const spec = this.applied.tasks[task];
    const options: RunOptions = { kind, download: spec?.check?.download === true, trigger: "schedule", signal, graceMs: SHUTDOWN_GRACE_MS };
    try {
      await (this.options.runTask ?? runApplied)({ stateDir: store.dir, applied: this.applied, env: workspace.env, events: this.events, clock: workspace.clock }, task, options);
    } catch (error) {
      this.notice("error", `${task} did not start: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
