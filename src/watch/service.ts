// The long-running service, put together: the reconciler decides when to
// reconcile, the operations layer (src/app/service.ts) does it, the runs are
// scheduled and pooled, the listeners follow the settings, the chores run on
// their timers. Level-based, as controller-runtime reconciles: every trigger
// leads to the same pass, which looks at what is there now and makes the
// service match it; a failure is retried with backoff rather than left until
// the next save.
import { dirname, resolve } from "node:path";
import type { DashboardHost, ServeDashboard } from "../app/dashboard.js";
import { Reporting, type ReportingOptions } from "../app/reporting.js";
import { ForeignRuns } from "../app/foreign-runs.js";
import { FleetMembership } from "../app/fleet.js";
import type { runApplied } from "../app/run.js";
import { cleanUpAfterDeadProcesses, initialView, missedRuns, reconcilePass, ServiceLock, tellOverdue, type ServiceDeps, type ServiceView } from "../app/service.js";
import type { LoadedFile, Workspace } from "../app/workspace.js";
import { CannotServeError, ServiceDisplacedError, UserError } from "../errors.js";
import type { Diagnostic } from "../model/diagnostics.js";
import type { RunRecord } from "../model/run-record.js";
import { watchWithChokidar, type FileWatcher, type WatchFiles } from "./files.js";
import { Every, MemoryRelease } from "./housekeeping.js";
import { collectGarbage } from "./memory.js";
import { Reconciler, RESYNC_MS, type Trigger } from "./reconciler.js";
import { ServiceRuns } from "./runs.js";
import { ServiceDashboard } from "./dashboard.js";

export interface ServiceOptions {
  /** The file, the environment, the clock and the event stream the service reports to. */
  workspace: Workspace;
  store: ServiceDeps["store"];
  /** Reads and loads the configuration file. */
  load: () => Promise<LoadedFile>;
  /** Runs one applied task (the operations layer's run, unless a test stands in). */
  runTask?: typeof runApplied;
  watchFiles?: WatchFiles;
  /** Gives back memory once a reconcile has settled (the real collector, unless a test stands in). */
  releaseMemory?: () => void;
  /** Bounds of notification delivery (tests shorten them). */
  delivery?: ReportingOptions["delivery"];
  /** `watch --web ADDR`: serve the dashboard there, whatever settings.web.listen says. */
  webListen?: string;
  /** The dashboard's server (src/web), given by the composition root; without it no page is served. */
  serveDashboard?: ServeDashboard;
}

/** A stopping service gives the last notifications this long, to be gone well within 10 s. */
const SHUTDOWN_NOTIFY_MS = 3_000;
/** How often the service looks for runs other processes do, while the page or metrics listen. */
const FOREIGN_RUNS_MS = 1_000;
/** How often the service looks for overdue tasks. */
const OVERDUE_CHECK_MS = 60_000;

export class WatchService {
  private view: ServiceView;
  private readonly deps: ServiceDeps;
  private readonly lock: ServiceLock;
  private readonly reconciler: Reconciler;
  private readonly runs: ServiceRuns;
  private readonly reporting: Reporting;
  private readonly fleet: FleetMembership;
  private readonly dashboard: ServiceDashboard;
  private readonly memory: MemoryRelease;
  private readonly overdue: Every;
  private readonly foreignRuns: Every;
  /** The fleet's heartbeat and reads, at the cadence its settings give (none outside a fleet). */
  private fleetTimers: { cadence: string; timers: Every[] } = { cadence: "null", timers: [] };
  private watcher: FileWatcher | undefined;
  private stopping = false;
  private failure: ((error: UserError) => void) | undefined;
  /** The start on the monotonic clock, which no step of the wall clock moves. */
  private readonly startedMono: number;
  private readonly startedAt: string;
  /** Settles when the service has stopped by itself (another service took its state directory). */
  readonly failed: Promise<UserError>;

  constructor(private readonly options: ServiceOptions) {
    const { workspace, store } = options;
    const { clock, events } = workspace;
    this.deps = { workspace, store, load: options.load };
    this.view = initialView(store);
    this.failed = new Promise((resolve) => (this.failure = resolve));
    this.startedAt = clock.now().toISOString();
    this.startedMono = clock.monotonic();
    this.lock = new ServiceLock(this.deps, () => this.trigger("the watch lock changed"));
    this.runs = new ServiceRuns(this.deps, () => this.view.applied, options.runTask);
    this.reporting = new Reporting(events, { stateDir: store.dir, applied: () => this.view.applied, env: workspace.env, clock, delivery: options.delivery, queued: () => this.runs.queued(), serve: true });
    this.fleet = new FleetMembership({ workspace, stateDir: store.dir, applied: () => this.view.applied, clock });
    this.dashboard = new ServiceDashboard(options.serveDashboard, options.webListen);
    this.reconciler = new Reconciler({
      clock,
      files: { config: workspace.configPath, state: store.statePath },
      pass: (reason) => this.reconcile(reason),
      onFailure: (reason, error, retryInMs) => this.notice("error", `${reason}: could not reconcile (${error instanceof Error ? error.message : String(error)}); trying again in ${Math.round(retryInMs / 1000)} s`),
    });
    this.memory = new MemoryRelease(clock, options.releaseMemory ?? collectGarbage);
    this.overdue = new Every(clock, OVERDUE_CHECK_MS, () => this.tellOverdue());
    const foreign = new ForeignRuns(store.dir, events, () => this.runs.running());
    this.foreignRuns = new Every(clock, FOREIGN_RUNS_MS, () => {
      // While the page or metrics listen, runs other processes do here are told on the stream too.
      if (this.dashboard.open || this.reporting.serving) foreign.poll();
    });
  }

  /** The diagnostics of the file as it stands, when it was rejected; null while it is applied. */
  get rejection(): Diagnostic[] | null {
    return this.view.rejection;
  }

  private notice(level: "info" | "warning" | "error", message: string): void {
    this.options.workspace.events.emit({ type: "notice", level, message });
  }

  async start(): Promise<void> {
    const { store, workspace } = this.options;
    store.ensureDir();
    await this.lock.take();
    await cleanUpAfterDeadProcesses(this.deps, this.view.applied);
    // Watch before the first apply, so that a save made meanwhile is not missed.
    this.watcher = await (this.options.watchFiles ?? watchWithChokidar)(
      [dirname(workspace.configPath), store.dir],
      (path) => {
        const changed = resolve(path);
        if (changed === workspace.configPath || this.view.watchedFiles.includes(changed)) this.trigger("the file changed");
        else if (changed === store.statePath || changed === store.dir) this.trigger("the applied state changed");
      },
      (error) => this.notice("warning", `watching files: ${error.message}; changes are still seen within ${RESYNC_MS / 1000} s`),
    );
    workspace.events.emit({ type: "service.started", pid: process.pid, config: workspace.configPath, state_dir: store.dir });
    // An address the service cannot serve on is the user's to fix: at start it stops the service, saying why.
    await this.reconciler.start((error) => error instanceof CannotServeError);
    if (this.view.applied.serial === 0 && this.view.rejection !== null) {
      throw new UserError(`${workspace.configName} has errors and nothing is applied yet; fix the file, then start the service`);
    }
    for (const { task, missed } of missedRuns(this.deps, this.view.applied)) {
      this.notice("info", `${task} missed its run at ${missed.toISOString()}: catching up`);
      this.runs.due(task);
    }
    this.overdue.start(true);
    this.foreignRuns.start(false);
  }

  /** Re-reads everything, as SIGHUP asks: the file is applied again even if it looks unchanged. */
  reload(): void {
    this.notice("info", "SIGHUP: re-reading the file");
    this.view = { ...this.view, seenFile: null };
    this.trigger("SIGHUP");
  }

  /** Something changed: reconcile once the burst settles (editors write, rename, touch). */
  trigger(why: Trigger): void {
    if (!this.stopping) this.reconciler.trigger(why);
  }

  /** Settles once no reconcile is running or waiting to start after one. */
  idle(): Promise<void> {
    return this.reconciler.idle();
  }

  /** Stops scheduling, aborts runs in progress and waits for them, releases the lock. `reason` is logged if the service had started. */
  async stop(reason: string): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    if (this.watcher) this.options.workspace.events.emit({ type: "service.stopping", reason });
    this.overdue.stop();
    this.foreignRuns.stop();
    for (const timer of this.fleetTimers.timers) timer.stop();
    this.memory.stop();
    await this.watcher?.close();
    await this.reconciler.stop();
    await this.runs.stop();
    await this.fleet.close();
    await this.dashboard.close();
    // Notifications of the last runs get a moment to go out.
    await this.options.workspace.events.settled(SHUTDOWN_NOTIFY_MS);
    await this.reporting.close();
    this.lock.release();
  }

  /** One reconcile: the operations layer's pass, then the schedule, reporting and listeners follow what it found. */
  private async reconcile(reason: Trigger): Promise<void> {
    if (this.stopping) return;
    try {
      const before = this.view.watchedFiles;
      const { view, changed, stateRewritten } = await reconcilePass(this.deps, this.lock, this.view, reason);
      this.view = view;
      // Secrets read through ${file:…} often live elsewhere (/run/secrets); follow them too.
      const added = view.watchedFiles.filter((f) => !before.includes(f));
      if (added.length > 0) this.watcher?.add(added);
      if (stateRewritten) this.watcher?.add([this.options.store.dir]);
      this.runs.follow(view.applied);
      await this.reporting.follow(changed, { success: view.rejection === null, at: this.options.workspace.clock.now() });
      await this.fleet.follow();
      this.followFleetCadence();
      await this.dashboard.follow(view.applied, this.dashboardHost());
    } catch (error) {
      if (!(error instanceof ServiceDisplacedError)) throw error;
      this.notice("error", `${error.message}: this service stops`);
      this.failure?.(error);
    } finally {
      this.memory.later();
    }
  }

  /** The fleet's timers follow its cadence: restarted when it changes, gone when the service leaves the fleet. */
  private followFleetCadence(): void {
    const cadence = this.fleet.cadence;
    if (JSON.stringify(cadence) === this.fleetTimers.cadence) return;
    for (const timer of this.fleetTimers.timers) timer.stop();
    const { clock } = this.options.workspace;
    const timers = cadence ? [new Every(clock, cadence.publishMs, () => this.fleet.publishSoon()).start(false), new Every(clock, cadence.readMs, () => this.fleet.readSoon()).start(false)] : [];
    this.fleetTimers = { cadence: JSON.stringify(cadence), timers };
  }

  private dashboardHost(): Omit<DashboardHost, "generatedToken"> {
    return {
      workspace: this.options.workspace,
      stateDir: this.options.store.dir,
      applied: () => this.view.applied,
      rejection: () => this.view.rejection,
      runNow: (task, dryRun) => this.runNow(task, dryRun),
      checkNow: (task, download) => this.checkNow(task, download),
      service: { pid: process.pid, since: this.startedAt },
      fleet: () => this.fleet.view,
    };
  }

  /** Check from the page: started at once, resolving once it has started. */
  checkNow(task: string, download: boolean): Promise<RunRecord> {
    return this.runs.startNow(task, { kind: "check", download });
  }

  /** Run now or Dry run from the page: started at once (not queued), resolving once it has started. */
  runNow(task: string, dryRun: boolean): Promise<RunRecord> {
    return this.runs.startNow(task, { kind: "run", dryRun });
  }

  /** Tasks whose last success is older than their max_age: told once per episode (across restarts). */
  private tellOverdue(): void {
    const { clock } = this.options.workspace;
    try {
      // When the service started, on the wall clock as it reads now (a step since moves it along).
      const watchedSince = new Date(clock.now().getTime() - (clock.monotonic() - this.startedMono));
      tellOverdue(this.deps, this.view.applied, watchedSince);
    } catch (error) {
      this.notice("error", `could not check for overdue tasks: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
