import { UserError } from "../errors.js";
import { requestAbort, waitUntil } from "../runner/control.js";
import type { RunRecord } from "../model/run-record.js";
import { abortDeadRuns } from "../runner/reap.js";
import { RunRecords } from "../state/run-records.js";
import { FileLock, holderIsDead } from "../state/lock.js";
import { type LockHolder } from "../model/lock.js";
import { locateStore, type Workspace } from "./workspace.js";

import type { AbortResult } from "../model/results.js";

const STOP_WAIT_MS = 30_000;

/**
 * Stops a run (or check) of TASK in progress, in whichever process runs it,
 * and waits until it has stopped. `onStopping` is told who is being asked.
 */
export async function abort(ws: Workspace, task: string, onStopping?: (holder: LockHolder, run: RunRecord | undefined) => void): Promise<AbortResult> {
  const runs = new RunRecords((await locateStore(ws)).store.dir);
  const lockPath = runs.lockPath(task);
  const holder = FileLock.holder(lockPath);
  const running = runs.list(task).find((r) => r.state === "RUNNING");
  if (!holder || holderIsDead(holder)) {
    // Asked to stop what nobody runs: end what a dead process left, as its next start would.
    const cleaned = abortDeadRuns(runs, task, ws.clock.now());
    if (cleaned.length > 0) return { outcome: "cleaned", task, records: cleaned };
    throw new UserError(`task "${task}" is not running`);
  }
  requestAbort(runs, task, running?.id ?? "");
  onStopping?.(holder, running);
  const stopped = await waitUntil(() => FileLock.holder(lockPath) === undefined, STOP_WAIT_MS);
  if (!stopped) throw new UserError(`task "${task}" did not stop within ${STOP_WAIT_MS / 1000} s`, `The process is ${holder.pid}; it may be stuck.`);
  return { outcome: "stopped", task, holder, record: running ? (runs.get(task, running.id) ?? null) : null };
}
