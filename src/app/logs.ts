import { closeSync, openSync, readSync, statSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { UserError } from "../errors.js";
import { RunStore, type RunRecord } from "../runner/records.js";
import { locateStore, type Workspace } from "./workspace.js";

export interface LogRef {
  record: RunRecord;
  runs: RunStore;
}

/** The record of a task's last run (or of run `id`), whose log `readLog` and `followLog` read. */
export async function findRun(ws: Workspace, task: string, id?: string): Promise<LogRef> {
  const runs = new RunStore((await locateStore(ws)).store.dir);
  return { record: recordOf(runs, task, id), runs };
}

/** The record of a run in a known store; a user's error when there is none. */
export function recordOf(runs: RunStore, task: string, id?: string): RunRecord {
  const all = runs.seen(task);
  const record = id ? all.find((r) => r.id === id) : all[0];
  if (record) return record;
  if (id) throw new UserError(`task "${task}" has no run ${id}`, all.length ? `Its runs: ${all.map((r) => r.id).join(", ")}` : undefined);
  throw new UserError(`task "${task}" has not run yet`);
}

/** The log from `offset` on, and the offset after it; a compressed log reads the same. */
export function readLog(ref: LogRef, offset = 0): { chunk: Buffer; offset: number } {
  const path = ref.runs.logPath(ref.record.task, ref.record.id);
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    // A finished run's log, compressed: read whole (it grows no more).
    const whole = ref.runs.readLogText(ref.record.task, ref.record.id);
    return { chunk: whole.subarray(Math.min(offset, whole.length)), offset: Math.max(offset, whole.length) };
  }
  if (size <= offset) return { chunk: Buffer.alloc(0), offset };
  const fd = openSync(path, "r");
  try {
    const chunk = Buffer.alloc(size - offset);
    const read = readSync(fd, chunk, 0, chunk.length, offset);
    return { chunk: chunk.subarray(0, read), offset: offset + read };
  } finally {
    closeSync(fd);
  }
}

const FOLLOW_POLL_MS = 250;

/** The log as it grows, until the run has ended (or `signal` aborts): what is there, then each addition. */
export async function* followLog(ref: LogRef, signal?: AbortSignal): AsyncGenerator<Buffer> {
  let offset = 0;
  for (;;) {
    // A run whose process died is over too (it is seen as ABORTED).
    const running = ref.runs.seen(ref.record.task).find((r) => r.id === ref.record.id)?.state === "RUNNING";
    const next = readLog(ref, offset);
    offset = next.offset;
    if (next.chunk.length > 0) yield next.chunk;
    if (!running || signal?.aborted) return;
    try {
      await sleep(FOLLOW_POLL_MS, undefined, { signal });
    } catch {
      return;
    }
  }
}
