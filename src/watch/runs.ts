// Runs the applied tasks and checks on their schedules, at most
// max_parallel_runs at once, and the runs started from the page; stops them
// all with the service. The runs themselves are src/app's.
import type { ServiceDeps } from "../app/service.js";
import { startRun } from "../app/service.js";
import type { runApplied, RunOptions } from "../app/run.js";
import { UserError } from "../errors.js";
import type { AppliedState } from "../model/applied-state.js";
import type { RunRecord } from "../model/run-record.js";
import { Scheduler, type ScheduledTask } from "../scheduler/scheduler.js";
import type { CheckSpec, TaskSpec } from "../model/config.js";
import { checkSchedules, destinationLabel } from "../model/destinations.js";
import { RunPool } from "./pool.js";

/** A stopping service gives rclone this long after SIGTERM, to be gone well within 10 s. */
export const SHUTDOWN_GRACE_MS = 5_000;

const CHECK = "check:";

/**
 * What the scheduler and the pool know a task's run (`TASK`) and check (`check:TASK`) by; a check
 * of one of a task's destinations is `check:TASK:DESTINATION` (each has its own schedule).
 */
function scheduled(key: string): { task: string; kind: RunRecord["kind"]; destination: string | null } {
  if (!key.startsWith(CHECK)) return { task: key, kind: "run", destination: null };
  const [task, destination] = key.slice(CHECK.length).split(":") as [string, string | undefined];
  return { task, kind: "check", destination: destination ?? null };
}

const described = (key: string) => {
  const { task, kind, destination } = scheduled(key);
  return kind === "check" ? `the check of ${destination === null ? task : destinationLabel(task, destination)}` : task;
};

/** The check a scheduled key runs: the task's, or one destination's own. */
function checkOf(spec: TaskSpec, destination: string | null): CheckSpec | null {
  return checkSchedules(spec).find((c) => c.destination === destination)?.check ?? null;
}

/** Every schedule of the applied tasks: their runs', and their checks' (a destination's own apart). */
function schedules(state: AppliedState): Record<string, ScheduledTask> {
  const all: Record<string, ScheduledTask> = {};
  for (const [task, spec] of Object.entries(state.tasks)) {
    all[task] = spec;
    for (const { destination, check } of checkSchedules(spec)) all[`${CHECK}${task}${destination === null ? "" : `:${destination}`}`] = { schedule: check.schedule, enabled: spec.enabled };
  }
  return all;
}

export class ServiceRuns {
  private readonly scheduler: Scheduler;
  private readonly pool: RunPool;
  /** Runs started from the page (Run now, Dry run, Check): stopped with the service. */
  private readonly manual = new Map<string, { controller: AbortController; done: Promise<unknown> }>();
  private stopping = false;
  /** The tasks enabled as last followed: only a task that becomes disabled has its run stopped. */
  private enabledBefore = new Set<string>();

  constructor(
    private readonly deps: ServiceDeps,
    private readonly applied: () => AppliedState,
    /** Runs one applied task (the operations layer's run, unless a test stands in). */
    private readonly runTask: typeof runApplied | undefined,
  ) {
    const { clock, events } = deps.workspace;
    this.scheduler = new Scheduler(clock, (key) => this.due(key), ({ task, at, reason }) => events.emit({ type: "run.skipped", task: described(task), reason: `its time ${at.toISOString()} passed: ${reason}` }));
    // A run and a check of one task are one group: they never overlap, and share max_parallel_runs.
    this.pool = new RunPool(applied().settings?.max_parallel_runs ?? 4, (key, signal) => this.run(key, signal), (key) => scheduled(key).task);
  }

  private get events() {
    return this.deps.workspace.events;
  }

  /** Schedules what is applied; stops runs of tasks that were deleted or disabled. */
  follow(state: AppliedState): void {
    this.pool.setMax(state.settings?.max_parallel_runs ?? 4);
    const { added, removed, changed } = this.scheduler.update(schedules(state), state.settings?.timezone ?? null);
    const next = this.scheduler.nextRuns();
    const now = [...added, ...changed].map((key) => {
      const { task, kind, destination } = scheduled(key);
      const spec = state.tasks[task]!;
      return { task: destination === null ? task : destinationLabel(task, destination), kind, schedule: kind === "check" ? checkOf(spec, destination)!.schedule : spec.schedule!, next: next[key]?.toISOString() ?? null };
    });
    const gone = removed.map(scheduled);
    if (now.length > 0 || gone.length > 0) this.events.emit({ type: "schedule.updated", scheduled: now, unscheduled: gone.filter((g) => g.kind === "run").map((g) => g.task), unscheduled_checks: gone.filter((g) => g.kind === "check").map((g) => g.task) });
    // As TrueNAS does: deleting or disabling a task stops its run, whoever started it. A task that was already
    // disabled and is run by hand (a restore task, say) keeps running when the file is applied again.
    const enabledBefore = this.enabledBefore;
    this.enabledBefore = new Set(Object.keys(state.tasks).filter((task) => state.tasks[task]!.enabled));
    for (const task of this.running()) {
      const spec = state.tasks[task];
      if (spec && (spec.enabled || !enabledBefore.has(task))) continue;
      this.events.emit({ type: "notice", level: "warning", message: `${task} was ${spec ? "disabled" : "deleted"} while running: aborting its run` });
      this.pool.abort(task);
      this.manual.get(task)?.controller.abort();
    }
  }

  /** A scheduled run (or a catch-up) is due: run it now, or queue it, or skip it while one of its task runs. */
  due(key: string): void {
    const outcome = this.pool.enqueue(key);
    if (outcome === "skipped") this.events.emit({ type: "run.skipped", task: described(key), reason: "still running (or waiting)" });
    if (outcome === "queued") this.events.emit({ type: "run.queued", task: described(key), max_parallel_runs: this.applied().settings?.max_parallel_runs ?? 4 });
  }

  /** Due runs waiting for a slot. */
  queued(): number {
    return this.pool.queued();
  }

  /** The tasks this service runs now (scheduled or from the page). */
  running(): Set<string> {
    return new Set([...this.pool.runningTasks(), ...this.manual.keys()]);
  }

  /** Run now, Dry run or Check from the page: started at once (not queued), resolving once it has started. */
  startNow(task: string, what: Pick<RunOptions, "kind" | "dryRun" | "download">): Promise<RunRecord> {
    if (this.stopping) return Promise.reject(new UserError("the service is stopping"));
    const controller = new AbortController();
    const { started, done } = startRun(this.deps, this.applied(), task, { ...what, trigger: "manual", signal: controller.signal, graceMs: SHUTDOWN_GRACE_MS }, this.runTask);
    const ended = done.finally(() => {
      if (this.manual.get(task)?.controller === controller) this.manual.delete(task);
    });
    this.manual.set(task, { controller, done: ended });
    return started;
  }

  /** Stops scheduling, aborts every run in progress, and waits until they have stopped. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.scheduler.stop();
    await this.pool.stopAll();
    for (const { controller } of this.manual.values()) controller.abort();
    await Promise.all([...this.manual.values()].map((r) => r.done));
  }

  private async run(key: string, signal: AbortSignal): Promise<void> {
    const { task, kind, destination } = scheduled(key);
    const spec = this.applied().tasks[task];
    const check = spec ? checkOf(spec, destination) : null;
    const options = { kind, download: check?.download === true, trigger: "schedule" as const, signal, graceMs: SHUTDOWN_GRACE_MS, ...(destination === null ? {} : { destination }) };
    const { started, done } = startRun(this.deps, this.applied(), task, options, this.runTask);
    started.catch((error: unknown) => this.events.emit({ type: "notice", level: "error", message: `${task} did not start: ${error instanceof Error ? error.message : String(error)}` }));
    await done;
  }
}
