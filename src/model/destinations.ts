// A task's destinations as runs, checks and views use them: each one a whole
// task of one destination (its credential, bucket, folder and encryption, the
// task's settings with its own on top). A task with `credential` has one,
// without a name.
import { NotFoundError, UserError } from "../errors.js";
import type { CheckSpec, TaskSpec } from "./config.js";

export interface Destination {
  /** Its name under `destinations`; null for a task's only, implicit destination. */
  name: string | null;
  /** The task as it runs for this destination. */
  spec: TaskSpec;
}

export function destinationsOf(task: TaskSpec): Destination[] {
  if (!task.destinations) return [{ name: null, spec: task }];
  return Object.entries(task.destinations).map(([name, destination]) => ({
    name,
    spec: { ...task, ...destination.overrides, credential: destination.credential, bucket: destination.bucket, folder: destination.folder, encryption: destination.encryption, destinations: null, parallel: 1 },
  }));
}

/** The credentials a task writes with: its own, or each destination's. */
export const credentialsOf = (task: TaskSpec): string[] => [...new Set(destinationsOf(task).map((d) => d.spec.credential))];

/** What a destination is called in messages: its name, or the task's for an implicit one. */
export const destinationLabel = (task: string, destination: string | null) => (destination === null ? task : `${task} → ${destination}`);

/**
 * One destination of a task: its only one, or the one named `from` (a task with several needs the name).
 * A NotFoundError when there is no such destination.
 */
export function pickDestination(task: string, spec: TaskSpec, from: string | undefined): Destination {
  const all = destinationsOf(spec);
  if (from === undefined) {
    if (all.length === 1) return all[0]!;
    throw new UserError(`task "${task}" writes to ${all.length} destinations: say which with --from`, `Its destinations: ${all.map((d) => d.name).join(", ")}.`);
  }
  const found = all.find((d) => d.name === from);
  if (!found) throw new NotFoundError(`task "${task}" has no destination "${from}"`, spec.destinations ? `Its destinations: ${all.map((d) => d.name).join(", ")}.` : "It writes to one place: leave --from out.");
  return found;
}

/**
 * The checks to schedule for a task: one of the whole task when all its destinations share the
 * task's check (or it has one destination); else each destination's own (one may have none).
 */
export function checkSchedules(task: TaskSpec): { destination: string | null; check: CheckSpec }[] {
  const all = destinationsOf(task);
  const checked = all.filter((d) => d.spec.check !== null);
  if (checked.length === 0) return [];
  const same = (a: CheckSpec, b: CheckSpec) => a.schedule === b.schedule && a.download === b.download;
  if (all.length === 1 || (checked.length === all.length && checked.every((d) => same(d.spec.check!, checked[0]!.spec.check!)))) return [{ destination: null, check: checked[0]!.spec.check! }];
  return checked.map((d) => ({ destination: d.name, check: d.spec.check! }));
}
