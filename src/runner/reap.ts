import type { TaskSpec } from "../config/model.js";
import { UserError } from "../errors.js";
import { FileLock } from "../state/lock.js";
import type { RunRecord, RunStore } from "./records.js";
import { removeLeftoverSnapshots } from "./snapshot.js";
import { groupExists } from "../process/run.js";
import { waitUntil } from "./control.js";

const KILL_WAIT_MS = 2_000;

/** What a process that died left of a task, now cleaned up. */
export interface Reaped {
  /** Runs it left RUNNING, now ABORTED (whatever they ran has been ended). */
  aborted: RunRecord[];
  /** A line per leftover snapshot removed (or that could not be). */
  snapshots: string[];
}

/** Cleans up after dead runs of a task. Call it holding the task's lock, so nothing of a live run is touched. */
export async function reapDeadRuns(store: RunStore, task: string, spec: TaskSpec | undefined, env: NodeJS.ProcessEnv, now: Date): Promise<Reaped> {
  const killed: number[] = [];
  const aborted = store.reconcile(task, () => undefined, now, (pgid) => killed.push(pgid));
  // What was killed is gone before anything new starts (SIGKILL takes a moment to be delivered).
  await waitUntil(() => killed.every((pgid) => !groupExists(pgid)), KILL_WAIT_MS, 20);
  const snapshots = spec?.snapshot ? await removeLeftoverSnapshots(task, spec.path, { env, signal: new AbortController().signal, graceMs: 5_000 }) : [];
  return { aborted, snapshots };
}

/**
 * The same for a task nobody may be running: its lock is taken for the
 * cleanup, and a task whose lock a live process holds is left alone.
 */
export async function reapIfIdle(store: RunStore, task: string, spec: TaskSpec | undefined, env: NodeJS.ProcessEnv, now: Date): Promise<Reaped> {
  let lock: FileLock;
  store.ensureDir();
  try {
    lock = await FileLock.acquire(store.lockPath(task), { command: "watch (cleaning up)", waitMs: 0 });
  } catch (error) {
    if (error instanceof UserError) return { aborted: [], snapshots: [] };
    throw error;
  }
  try {
    return await reapDeadRuns(store, task, spec, env, now);
  } finally {
    lock.release();
  }
}
