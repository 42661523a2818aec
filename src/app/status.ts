import { join } from "node:path";
import { computePlan, remoteOf } from "../plan/diff.js";
import { lastSuccess } from "../model/run-record.js";
import { RunRecords } from "../state/run-records.js";
import { nextRunAt } from "../scheduler/next-run.js";
import { FileLock } from "../state/lock.js";
import { type LockHolder } from "../model/lock.js";
import type { AppliedState } from "../model/applied-state.js";
import { editedConfig, locateStore, type Workspace } from "./workspace.js";
import type { DestinationStatus, StatusReport, TaskStatus } from "../model/results.js";
import { durationMs, type TaskSpec } from "../model/config.js";
import { destinationsOf } from "../model/destinations.js";
import type { RunRecord } from "../model/run-record.js";

/** Every applied task's state, last and next run. Only reads: it never stops a process or changes a record. */
export async function status(ws: Workspace): Promise<StatusReport> {
  const { store, text } = await locateStore(ws);
  return statusOf(ws, store.dir, store.read(), text);
}

/** The watch service serving the state directory, if one is alive (for health checks: nothing else is read). */
export async function servingService(ws: Workspace): Promise<{ state_dir: string; service: (LockHolder & { alive: true }) | null }> {
  const { store } = await locateStore(ws);
  return { state_dir: store.dir, service: liveService(store.dir) };
}

export function liveService(stateDir: string): (LockHolder & { alive: true }) | null {
  const service = FileLock.inspect(join(stateDir, "watch.lock"));
  return service?.holder && service.stale === null ? { ...service.holder, alive: true } : null;
}

/** Runs and checks a task's row shows at a glance. */
const RECENT = 20;

/** Whether a task's last success (or, never having succeeded, its applying) is older than its max_age. */
function overdue(task: TaskSpec, since: string | null, now: Date): boolean {
  if (!task.enabled || task.max_age === null || since === null) return false;
  return now.getTime() - Date.parse(since) > durationMs(task.max_age);
}

/** Each destination of a task as its last run there left it (a run with --destination goes to one). */
function destinationStatus(task: TaskSpec, records: readonly RunRecord[]): DestinationStatus[] {
  return destinationsOf(task).map(({ name, spec }) => {
    const last = records.find((r) => r.destinations?.[name!]);
    const outcome = last?.destinations?.[name!];
    return { name: name!, remote: remoteOf(spec), state: outcome?.state ?? "PENDING", last_run_id: last?.id ?? null, finished_at: outcome?.finished_at ?? null, error: outcome?.error ?? null };
  });
}

/** The same for a caller that holds the store and the applied state (the service): nothing is looked up again. */
export async function statusOf(ws: Workspace, stateDir: string, applied: AppliedState, text: string | null): Promise<StatusReport> {
  const now = ws.clock.now();
  const timezone = applied.settings?.timezone ?? null;
  const runs = new RunRecords(stateDir);
  const tasks: TaskStatus[] = Object.entries(applied.tasks)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, task]) => {
      const all = runs.seen(name);
      // A dry run tells nothing of the copy: the task's state is its last real run's, or RUNNING while anything runs.
      const records = all.filter((r) => r.kind === "run" && !r.dry_run);
      const last = records[0] ?? null;
      const running = all.find((r) => r.state === "RUNNING") ?? null;
      const failed = records.find((r) => r.error !== null && r.state !== "RUNNING");
      const succeeded = lastSuccess(records);
      return {
        name,
        description: task.description,
        direction: task.direction,
        transfer_mode: task.transfer_mode,
        path: task.path,
        remote: remoteOf(task),
        enabled: task.enabled,
        schedule: task.schedule,
        state: running ? "RUNNING" : (last?.state ?? "PENDING"),
        last_run: last,
        last_error: failed ? { run_id: failed.id, finished_at: failed.finished_at, error: failed.error! } : null,
        last_success: succeeded ? { run_id: succeeded.id, finished_at: succeeded.finished_at } : null,
        last_check: all.find((r) => r.kind === "check" && r.state !== "RUNNING") ?? null,
        next_run: task.enabled && task.schedule ? (nextRunAt(task.schedule, timezone, now)?.toISOString() ?? null) : null,
        next_check: task.enabled && task.check ? (nextRunAt(task.check.schedule, timezone, now)?.toISOString() ?? null) : null,
        destinations: task.destinations ? destinationStatus(task, records) : null,
        running,
        recent: all.slice(0, RECENT),
        encrypted: destinationsOf(task).some((d) => d.spec.encryption !== null),
        overdue: overdue(task, succeeded?.finished_at ?? applied.applied_at, now),
      };
    });
  const edited = await editedConfig(ws, text, applied);
  return {
    state_dir: stateDir,
    serial: applied.serial,
    applied_at: applied.applied_at,
    timezone,
    service: liveService(stateDir),
    tasks,
    pending_changes: edited !== null && computePlan(edited, applied).changes.length > 0,
  };
}
