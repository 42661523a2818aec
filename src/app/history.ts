import { UserError } from "../errors.js";
import type { RunRecord } from "../model/run-record.js";
import { RunRecords } from "../state/run-records.js";
import { locateStore, type Workspace } from "./workspace.js";

export interface HistoryOptions {
  task?: string;
  limit?: number;
}

/** A limit as the user wrote it (`--limit`, `?limit=`): a whole number of at least 1, or a user's error naming `name`. */
export function limitOf(written: string | null | undefined, name: string): number | undefined {
  if (written === undefined || written === null) return undefined;
  const limit = Number(written);
  if (!Number.isInteger(limit) || limit < 1) throw new UserError(`${name} must be a whole number of at least 1, not "${written}"`);
  return limit;
}

/** Past runs and checks, newest first: of one task, or of every task with records. */
export async function history(ws: Workspace, options: HistoryOptions = {}): Promise<RunRecord[]> {
  return historyIn((await locateStore(ws)).store.dir, options);
}

/** The same in a known state directory (the service's). */
export function historyIn(stateDir: string, options: HistoryOptions = {}): RunRecord[] {
  const runs = new RunRecords(stateDir);
  const tasks = options.task !== undefined ? [options.task] : runs.tasks();
  const records = tasks.flatMap((task) => runs.seen(task));
  // One task's order is its sequence; across tasks, the start time.
  if (options.task === undefined) records.sort((a, b) => b.started_at.localeCompare(a.started_at));
  return options.limit === undefined ? records : records.slice(0, options.limit);
}
