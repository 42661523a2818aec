import { watch as watchFiles, type FSWatcher } from "chokidar";
import { dirname, join, resolve } from "node:path";
import { formatDiagnostic } from "../config/diagnostics.js";
import type { LoadedConfig } from "../config/load.js";
import { UserError } from "../errors.js";
import { summaryLine } from "../plan/render.js";
import { RunStore, type RunRecord } from "../runner/records.js";
import { reapIfIdle } from "../runner/reap.js";
import { runTask } from "../runner/run-task.js";
import { nextRunAt } from "../scheduler/next-run.js";
import { Scheduler, systemClock } from "../scheduler/scheduler.js";
import { commitDesired } from "../state/commit.js";
import { describeHolder, describeTakeover, FileLock, LockedError } from "../state/lock.js";
import type { AppliedState } from "../state/model.js";
import type { StateStore } from "../state/store.js";
import { collectGarbage } from "./memory.js";
import { RunPool } from "./pool.js";

export interface ServiceOptions {
  store: StateStore;
  configPath: string;
  /** Reads and loads the configuration file (the CLI's loader, with the real environment). */
  load: () => Promise<LoadedConfig & { text: string | null }>;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
  /** How one finished run is reported. */
  describeRun: (record: RunRecord) => string;
}

const DEBOUNCE_MS = 100;
const MAX_LINES_PER_CHANGE = 20;
/** Quiet time after a reconcile before the service gives back what it allocated. */
const SETTLE_MS = 1_000;
const QUIET_MS = 10_000;
/** A stopping service gives rclone this long after SIGTERM, to be gone well within 10 s. */
const SHUTDOWN_GRACE_MS = 5_000;

/**
 * The long-running service: applies the file on start and on every change,
 * runs the applied tasks on their schedules, and stops cleanly. Level-based:
 * every trigger (a save, a CLI apply, SIGHUP) leads to the same reconcile.
 */
export class WatchService {
  private applied: AppliedState;
  private readonly runs: RunStore;
  private readonly scheduler: Scheduler;
  private readonly pool: RunPool;
  private watcher: FSWatcher | undefined;
  private lock: FileLock | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private settle: NodeJS.Timeout | undefined;
  private watchedFiles = new Set<string>();
  private reconciling: Promise<void> = Promise.resolve();
  private stopping = false;
  private pendingApply = false;

  constructor(private readonly options: ServiceOptions) {
    this.applied = options.store.read();
    this.runs = new RunStore(options.store.dir);
    this.scheduler = new Scheduler(systemClock, (task) => this.due(task));
    this.pool = new RunPool(this.applied.settings?.max_parallel_runs ?? 4, (task, signal) => this.run(task, signal));
  }

  async start(): Promise<void> {
    const { store, log } = this.options;
    store.ensureDir();
    const lockPath = join(store.dir, "watch.lock");
    try {
      this.lock = await FileLock.acquire(lockPath, {
        command: "watch",
        waitMs: 0,
        onTakeover: (holder, reason) => log(`took over from a service that is gone (${describeTakeover(holder, reason)})`),
      });
    } catch (error) {
      if (!(error instanceof LockedError)) throw error;
      throw new UserError(`another cloudsync watch already serves ${store.dir}${error.holder ? ` (${describeHolder(error.holder)})` : ""}`, "Stop it first; one service per state directory.");
    }
    // What a dead service (or run) left is over: end what it ran, mark its runs ABORTED, remove its snapshots.
    for (const [task, spec] of Object.entries(this.applied.tasks)) {
      if (!spec.snapshot && !this.runs.list(task).some((r) => r.state === "RUNNING")) continue;
      const reaped = await reapIfIdle(this.runs, task, spec, this.options.env, new Date());
      for (const record of reaped.aborted) log(`run ${record.id} of ${task} was left running by a process that died; marked ABORTED`);
      for (const note of reaped.snapshots) log(`${task}: ${note}`);
    }
    // Watch before the first apply, so that a save made meanwhile is not missed.
    this.watcher = watchFiles([dirname(this.options.configPath), store.dir], { ignoreInitial: true, depth: 0 });
    this.watcher.on("all", (_event, path) => {
      const changed = resolve(path);
      if (changed === this.options.configPath || this.watchedFiles.has(changed)) this.schedule("the file changed", true);
      // An apply from the command line: follow what it applied; the next edit of the file applies the file again.
      else if (changed === store.statePath) this.schedule("the applied state changed", false);
    });
    await new Promise<void>((ready) => this.watcher!.once("ready", () => ready()));
    log(`watching ${this.options.configPath} (state: ${store.dir})`);
    await this.reconcile("start", true);
    this.catchUp();
  }

  /** Re-reads everything, as SIGHUP asks. */
  reload(): void {
    this.options.log("SIGHUP: re-reading the file");
    this.schedule("SIGHUP", true);
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    clearTimeout(this.debounce);
    clearTimeout(this.settle);
    this.scheduler.stop();
    await this.watcher?.close();
    await this.reconciling;
    await this.pool.stopAll();
    this.lock?.release();
  }

  /** Edits arrive in bursts (editors write, rename, touch); reconcile once they settle. */
  private schedule(reason: string, applyFile: boolean): void {
    if (this.stopping) return;
    clearTimeout(this.debounce);
    // A burst that includes a file change applies the file.
    this.pendingApply ||= applyFile;
    this.debounce = setTimeout(() => {
      const apply = this.pendingApply;
      this.pendingApply = false;
      this.reconciling = this.reconciling.then(() => this.reconcile(reason, apply)).catch((error: unknown) => this.options.log(`reconcile failed: ${error instanceof Error ? error.message : String(error)}`));
    }, DEBOUNCE_MS);
  }

  private async reconcile(reason: string, applyFile: boolean): Promise<void> {
    const { store, log } = this.options;
    if (!applyFile) {
      const state = store.read();
      // The service's own applies change the state too; only someone else's need following.
      if (state.serial === this.applied.serial && state.lineage === this.applied.lineage) return;
      log(`${reason}: following it`);
      this.sync(state);
      this.releaseMemoryLater();
      return;
    }
    const loaded = await this.options.load();
    const referenced = loaded.referencedFiles.map((f) => resolve(f));
    const added = referenced.filter((f) => !this.watchedFiles.has(f));
    this.watchedFiles = new Set(referenced);
    // Secrets read through ${file:…} often live elsewhere (/run/secrets); follow them too.
    if (added.length > 0) this.watcher?.add(added);
    for (const d of loaded.diagnostics) log(formatDiagnostic(d));
    if (!loaded.config || loaded.text === null) {
      log(`${reason}: the configuration has errors; the last applied configuration keeps running`);
    } else {
      const { plan } = await commitDesired(store, loaded.config, loaded.text, { command: "watch", waitMs: 10_000 });
      if (plan.changes.length > 0) log(`${reason}: applied. ${summaryLine(plan)}`);
    }
    this.sync(store.read());
    this.releaseMemoryLater();
  }

  private releaseMemoryLater(): void {
    clearTimeout(this.settle);
    this.settle = setTimeout(() => {
      collectGarbage();
      // V8 shrinks the young generation only once allocation has been quiet for a while: one more pass then.
      this.settle = setTimeout(collectGarbage, QUIET_MS).unref();
    }, SETTLE_MS).unref();
  }

  /** Schedules what is applied; stops runs of tasks that were deleted or disabled. */
  private sync(applied: AppliedState): void {
    const { log } = this.options;
    this.applied = applied;
    this.pool.setMax(applied.settings?.max_parallel_runs ?? 4);
    const { added, removed, changed } = this.scheduler.update(applied.tasks, applied.settings?.timezone ?? null);
    const next = this.scheduler.nextRuns();
    const scheduled = [...added, ...changed];
    // A line per task for edits; a large file's start-up gets one line, not thousands.
    if (scheduled.length > MAX_LINES_PER_CHANGE) {
      const [first] = scheduled.filter((t) => next[t]).sort((a, b) => next[a]!.getTime() - next[b]!.getTime());
      log(`scheduled ${scheduled.length} tasks${first ? ` (first due: ${first} at ${next[first]!.toISOString()})` : ""}`);
    } else for (const task of scheduled) log(`scheduled ${task}: ${applied.tasks[task]!.schedule} (next ${next[task]?.toISOString() ?? "never"})`);
    if (removed.length > MAX_LINES_PER_CHANGE) log(`unscheduled ${removed.length} tasks`);
    else for (const task of removed) log(`unscheduled ${task}`);
    // As TrueNAS does: deleting or disabling a task stops its run.
    for (const task of this.pool.runningTasks()) {
      const spec = applied.tasks[task];
      if (spec?.enabled) continue;
      log(`${task} was ${spec ? "disabled" : "deleted"} while running: aborting its run`);
      this.pool.abort(task);
    }
  }

  /** Tasks with `catchup: true` whose scheduled time passed while no service ran: once, now. */
  private catchUp(): void {
    const now = new Date();
    for (const [task, spec] of Object.entries(this.applied.tasks)) {
      if (!spec.catchup || !spec.enabled || spec.schedule === null) continue;
      const since = this.runs.list(task)[0]?.started_at ?? this.applied.applied_at;
      const missed = since ? nextRunAt(spec.schedule, this.applied.settings?.timezone ?? null, new Date(since)) : null;
      if (missed && missed < now) {
        this.options.log(`${task} missed its run at ${missed.toISOString()}: catching up`);
        this.due(task);
      }
    }
  }

  private due(task: string): void {
    const outcome = this.pool.enqueue(task);
    if (outcome === "skipped") this.options.log(`${task} is due but still running (or waiting): this start is skipped`);
    if (outcome === "queued") this.options.log(`${task} is due; waiting for a free slot (max_parallel_runs ${this.applied.settings?.max_parallel_runs ?? 4})`);
  }

  private async run(task: string, signal: AbortSignal): Promise<void> {
    const { log } = this.options;
    try {
      const record = await runTask({
        stateDir: this.options.store.dir,
        task,
        applied: this.applied,
        dryRun: false,
        trigger: "schedule",
        env: this.options.env,
        signal,
        graceMs: SHUTDOWN_GRACE_MS,
        onStart: (r) => log(`started ${task}: run ${r.id}`),
      });
      log(this.options.describeRun(record).replace(/\n/g, " | "));
    } catch (error) {
      log(`${task} did not start: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
