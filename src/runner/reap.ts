// What a cloudsync process that died left of a task: runs still marked
// RUNNING (and whatever they ran: rclone, a script and all it started) and
// snapshots. Ended and cleaned up at the task's next start, or the service's.
import type { TaskSpec } from "../model/config.js";
import { DIED, endedAs, processGroupsOf, type RunRecord } from "../model/run-record.js";
import { UserError } from "../errors.js";
import { bootId, groupsStartedWith } from "../process/identity.js";
import { endLeftoverGroup, groupExists } from "../process/run.js";
import { FileLock } from "../state/lock.js";
import { RunLogs } from "../state/run-logs.js";
import type { RunRecords } from "../state/run-records.js";
import { waitUntil } from "./control.js";
import { removeLeftoverSnapshots } from "./snapshot.js";

const KILL_WAIT_MS = 2_000;

/** What a process that died left of a task, now cleaned up. */
export interface Reaped {
  /** Runs it left RUNNING, now ABORTED (whatever they ran has been ended). */
  aborted: RunRecord[];
  /** A line per leftover snapshot removed (or that could not be). */
  snapshots: string[];
}

/**
 * Runs left RUNNING by a process that died: what they were running is ended if it is still
 * there (and of this boot: a group of another boot or host is not ours), and they end ABORTED.
 * An rclone is also found by the log file it was given, which names the run: a process killed
 * between starting rclone and noting its group in the record leaves a group nobody noted.
 */
export function abortDeadRuns(records: RunRecords, task: string, now: Date, onKilled: (pgid: number) => void = () => undefined, listed: readonly RunRecord[] = records.list(task)): RunRecord[] {
  const ended: RunRecord[] = [];
  for (const record of listed) {
    if (record.state !== "RUNNING") continue;
    const logs = new RunLogs(records.stateDir);
    if (record.boot_id !== null && record.boot_id === bootId()) {
      const groups = new Map([...processGroupsOf(record), ...logs.rcloneLogsLeft(task, record.id).flatMap(groupsStartedWith)].map((g) => [g.pgid, g]));
      for (const group of groups.values()) if (endLeftoverGroup(group)) onKilled(group.pgid);
    }
    const aborted = endedAs(record, "ABORTED", DIED, now.toISOString());
    records.save(aborted);
    logs.removeRcloneLogs(task, record.id);
    ended.push(aborted);
  }
  return ended;
}

/** Cleans up after dead runs of a task. Call it holding the task's lock, so nothing of a live run is touched. */
export async function reapDeadRuns(records: RunRecords, task: string, spec: TaskSpec | undefined, env: NodeJS.ProcessEnv, now: Date): Promise<Reaped & { /** The sequence number of the task's next run (from the same listing). */ nextSeq: number }> {
  const killed: number[] = [];
  const listed = records.list(task);
  const aborted = abortDeadRuns(records, task, now, (pgid) => killed.push(pgid), listed);
  // What was killed is gone before anything new starts (SIGKILL takes a moment to be delivered).
  await waitUntil(() => killed.every((pgid) => !groupExists(pgid)), KILL_WAIT_MS, 20);
  const snapshots = spec?.snapshot ? await removeLeftoverSnapshots(task, spec.path, { env, signal: new AbortController().signal, graceMs: 5_000 }) : [];
  return { aborted, snapshots, nextSeq: records.nextSeq(task, listed) };
}

/**
 * The same for a task nobody may be running: its lock is taken for the
 * cleanup, and a task whose lock a live process holds is left alone.
 */
export async function reapIfIdle(records: RunRecords, task: string, spec: TaskSpec | undefined, env: NodeJS.ProcessEnv, now: Date): Promise<Reaped> {
  let lock: FileLock;
  records.ensureDir();
  try {
    lock = await FileLock.acquire(records.lockPath(task), { command: "watch (cleaning up)", waitMs: 0 });
  } catch (error) {
    if (error instanceof UserError) return { aborted: [], snapshots: [] };
    throw error;
  }
  try {
    return await reapDeadRuns(records, task, spec, env, now);
  } finally {
    lock.release();
  }
}
