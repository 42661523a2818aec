// Run and check records in the state directory: runs/TASK/ID.json, one per
// run, and runs/TASK.lock, which whoever runs the task holds.
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { ENTRY_NAME } from "../model/config.js";
import { asSeen, isRecordOf, withDefaults, type RunRecord } from "../model/run-record.js";
import { fsReason, UserError } from "../errors.js";
import { makePrivateDirectory } from "./durable.js";
import { FileLock } from "./lock.js";
import { replaceFile } from "./private-files.js";

/**
 * Sortable by time, to the millisecond: 20261124T164100.123Z-3f2a. The suffix only tells apart
 * runs started in one millisecond (the task's lock keeps them one at a time): Math.random
 * suffices, and a run need not load crypto before rclone starts.
 */
export function newRunId(now: Date): string {
  const suffix = Math.floor(Math.random() * 0x10000)
    .toString(16)
    .padStart(4, "0");
  return `${now.toISOString().replace(/[-:]/g, "")}-${suffix}`;
}

/**
 * A small file written whole or not at all, but not fsynced: flushing here would also wait for
 * every byte a run just wrote to the same filesystem (ext4 commits data before metadata), which
 * can double a local run's time. A power cut may lose the latest record; the state, which is
 * fsynced, never is.
 */
export function writeRecordFile(path: string, text: string, what: string): void {
  try {
    replaceFile(path, text, { mode: 0o600 });
  } catch (error) {
    throw new UserError(`cannot write ${what} ${path}: ${fsReason(error)}`);
  }
}

export function makeDirectory(path: string): void {
  try {
    makePrivateDirectory(path);
  } catch (error) {
    throw new UserError(`cannot create ${path}: ${fsReason(error)}`);
  }
}

/** A task's name as a part of a path: a name no task can have (`../x`) names no file either. */
export function taskName(task: string): string {
  if (!ENTRY_NAME.test(task)) throw new UserError(`no task can be named "${task}": a task's name is lower-case letters, digits, - and _`);
  return task;
}

export class RunRecords {
  constructor(readonly stateDir: string) {}

  /** runs/, where records, logs, locks and counters are. */
  get root(): string {
    return join(this.stateDir, "runs");
  }

  taskDir(task: string): string {
    return join(this.root, taskName(task));
  }

  lockPath(task: string): string {
    return join(this.root, `${taskName(task)}.lock`);
  }

  /** Creates runs/ (0700) if needed, for the locks and records in it. */
  ensureDir(): void {
    makeDirectory(this.root);
  }

  save(record: RunRecord): void {
    makeDirectory(this.taskDir(record.task));
    writeRecordFile(join(this.taskDir(record.task), `${record.id}.json`), `${JSON.stringify(record, null, 2)}\n`, "the run record");
  }

  /** A task's runs, newest first (by sequence number). Damaged records are skipped rather than failing every listing. */
  list(task: string): RunRecord[] {
    let names: string[];
    try {
      names = readdirSync(this.taskDir(task));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw new UserError(`cannot read the runs of ${task} in ${this.taskDir(task)}: ${fsReason(error)}`);
    }
    return names
      .filter((n) => n.endsWith(".json"))
      .flatMap((n) => {
        try {
          const value: unknown = JSON.parse(readFileSync(join(this.taskDir(task), n), "utf8"));
          return isRecordOf(value, task, n.slice(0, -".json".length)) ? [withDefaults(value)] : [];
        } catch {
          return [];
        }
      })
      .sort((a, b) => (b.seq ?? 0) - (a.seq ?? 0) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  }

  /** A task's records as readers see them (a dead process's RUNNING shown ABORTED), newest first. */
  seen(task: string): RunRecord[] {
    const records = this.list(task);
    if (!records.some((r) => r.state === "RUNNING")) return records;
    const lock = FileLock.inspect(this.lockPath(task));
    const gone = !lock || lock.stale !== null;
    return records.map((r) => asSeen(r, gone));
  }

  /** The sequence number of the task's next run, from its records (newest first); call it holding the task's lock. */
  nextSeq(task: string, records: readonly RunRecord[] = this.list(task)): number {
    return (records[0]?.seq ?? 0) + 1;
  }

  get(task: string, id: string): RunRecord | undefined {
    return this.list(task).find((r) => r.id === id);
  }

  /**
   * Keeps the newest `keep` finished runs and `keep` finished checks (and any running one);
   * returns the records let go, whose logs go too. `records` are the task's, if already listed.
   */
  prune(task: string, keep: number, records: readonly RunRecord[] = this.list(task)): RunRecord[] {
    const finished = records.filter((r) => r.state !== "RUNNING");
    const beyond = [...finished.filter((r) => r.kind === "run").slice(keep), ...finished.filter((r) => r.kind === "check").slice(keep)];
    for (const old of beyond) rmSync(join(this.taskDir(task), `${old.id}.json`), { force: true });
    return beyond;
  }

  /** The tasks that have records (applied or not). */
  tasks(): string[] {
    try {
      // A directory no task can be named after (lost+found, one made by hand) holds no task's runs.
      return readdirSync(this.root, { withFileTypes: true })
        .filter((e) => e.isDirectory() && ENTRY_NAME.test(e.name))
        .map((e) => e.name)
        .sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw new UserError(`cannot read the runs in ${this.root}: ${fsReason(error)}`);
    }
  }
}
