import { setTimeout as sleep } from "node:timers/promises";
import { NotFoundError } from "../errors.js";
import type { RunRecord } from "../model/run-record.js";
import { RunLogs } from "../state/run-logs.js";
import { RunRecords } from "../state/run-records.js";
import { locateStore, type Workspace } from "./workspace.js";

export interface LogRef {
  record: RunRecord;
  records: RunRecords;
  logs: RunLogs;
}

/** The record of a task's last run (or of run `id`), whose log `readLog` and `followLog` read. */
export async function findRun(ws: Workspace, task: string, id?: string): Promise<LogRef> {
  return findRunIn((await locateStore(ws)).store.dir, task, id);
}

/** The same in a known state directory (the service's). */
export function findRunIn(stateDir: string, task: string, id?: string): LogRef {
  const records = new RunRecords(stateDir);
  return { record: recordOf(records, task, id), records, logs: new RunLogs(stateDir) };
}

/** The record of a run in a known store; a user's error when there is none. */
export function recordOf(records: RunRecords, task: string, id?: string): RunRecord {
  const all = records.seen(task);
  const record = id ? all.find((r) => r.id === id) : all[0];
  if (record) return record;
  if (id) throw new NotFoundError(`task "${task}" has no run ${id}`, all.length ? `Its runs: ${all.map((r) => r.id).join(", ")}` : undefined);
  throw new NotFoundError(`task "${task}" has not run yet`);
}

/** The log from `offset` on, and the offset after it; a compressed log reads the same. */
export function readLog(ref: Pick<LogRef, "record" | "logs">, offset = 0): { chunk: Buffer; offset: number } {
  return ref.logs.readFrom(ref.record.task, ref.record.id, offset);
}

/**
 * The lines of a run's log about one destination, without their `[NAME] ` prefix: `lines` as they
 * come (a chunk may end mid-line: the rest is kept for the next).
 */
export function destinationLines(name: string): (chunk: Buffer, last?: boolean) => Buffer {
  const marker = ` [${name}] `;
  let rest = "";
  return (chunk, last = false) => {
    const text = rest + chunk.toString("utf8");
    const cut = last ? text.length : text.lastIndexOf("\n") + 1;
    rest = text.slice(cut);
    const kept = text
      .slice(0, cut)
      .split("\n")
      .filter((line) => line.includes(marker))
      .map((line) => line.replace(marker, " "));
    return Buffer.from(kept.length > 0 ? `${kept.join("\n")}\n` : "");
  };
}

const FOLLOW_POLL_MS = 250;

/** The log as it grows, until the run has ended (or `signal` aborts): what is there, then each addition. */
export async function* followLog(ref: LogRef, signal?: AbortSignal): AsyncGenerator<Buffer> {
  let offset = 0;
  for (;;) {
    // A run whose process died is over too (it is seen as ABORTED).
    const running = ref.records.seen(ref.record.task).find((r) => r.id === ref.record.id)?.state === "RUNNING";
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
