import { durationMs, type TaskSpec } from "../model/config.js";

export interface LastSuccess {
  id: string;
  finished_at: string;
}

export interface Overdue {
  task: string;
  last_success: string | null;
  max_age: string;
  /** Which episode this is: one notification per episode (it ends with the next success). */
  episode: string;
}

/**
 * The enabled tasks whose last success is older than their max_age (or that
 * never succeeded within max_age of `since`, when they were applied). A time
 * in the future (written while the clock ran ahead, and since corrected) says
 * nothing of how long ago it was: such a task's age counts from `watchedSince`,
 * when the service began watching, on the clock as it reads now. Pure.
 */
export function overdueTasks(
  tasks: Record<string, Pick<TaskSpec, "enabled" | "max_age">>,
  lastSuccess: (task: string) => LastSuccess | null,
  since: Date,
  now: Date,
  watchedSince: Date = since,
): Overdue[] {
  const found: Overdue[] = [];
  for (const [task, spec] of Object.entries(tasks)) {
    if (!spec.enabled || spec.max_age === null) continue;
    const last = lastSuccess(task);
    const written = last ? Date.parse(last.finished_at) : since.getTime();
    const from = written > now.getTime() ? Math.min(watchedSince.getTime(), now.getTime()) : written;
    if (now.getTime() - from <= durationMs(spec.max_age)) continue;
    found.push({ task, last_success: last?.finished_at ?? null, max_age: spec.max_age, episode: last?.id ?? "never" });
  }
  return found;
}
