import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { holderIsDead, type LockHolder } from "../state/lock.js";

export type RunState = "RUNNING" | "SUCCESS" | "FAILED" | "ABORTED";

export interface RunRecord {
  id: string;
  task: string;
  state: RunState;
  dry_run: boolean;
  trigger: "manual" | "schedule";
  started_at: string;
  finished_at: string | null;
  bytes: number;
  files: number;
  deletes: number;
  checks: number;
  /** The meaningful last error lines, not the whole log. */
  error: string | null;
  attempts: number;
  /** The cloudsync process running it, and rclone's, so another process can stop them. */
  pid: number;
  rclone_pid: number | null;
}

/** Sortable by time, to the millisecond: 20261124T164100.123Z-3f2a. */
export function newRunId(now: Date): string {
  return `${now.toISOString().replace(/[-:]/g, "")}-${randomBytes(2).toString("hex")}`;
}

/**
 * Whole or not at all, but not fsynced: flushing here would also wait for
 * every byte the run just wrote to the same filesystem (ext4 commits data
 * before metadata), which can double a local run's time. A power cut may
 * lose the latest record; the state, which is fsynced, never is.
 */
function writeAtomic(path: string, text: string): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, text, { mode: 0o600 });
  renameSync(temp, path);
}

/** Whether a pid is (still) an rclone process, so a reused pid is never killed. */
function isRclone(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0]!.endsWith("rclone");
  } catch {
    return false;
  }
}

/** Run records and logs in the state directory: runs/TASK/ID.json and ID.log. */
export class RunStore {
  constructor(readonly stateDir: string) {}

  taskDir(task: string): string {
    return join(this.stateDir, "runs", task);
  }

  lockPath(task: string): string {
    return join(this.stateDir, "runs", `${task}.lock`);
  }

  logPath(task: string, id: string): string {
    return join(this.taskDir(task), `${id}.log`);
  }

  save(record: RunRecord): void {
    mkdirSync(this.taskDir(record.task), { recursive: true, mode: 0o700 });
    writeAtomic(join(this.taskDir(record.task), `${record.id}.json`), `${JSON.stringify(record, null, 2)}\n`);
  }

  /** A task's runs, newest first. Damaged records are skipped rather than failing every listing. */
  list(task: string): RunRecord[] {
    let names: string[];
    try {
      names = readdirSync(this.taskDir(task));
    } catch {
      return [];
    }
    return names
      .filter((n) => n.endsWith(".json"))
      .sort()
      .reverse()
      .flatMap((n) => {
        try {
          return [JSON.parse(readFileSync(join(this.taskDir(task), n), "utf8")) as RunRecord];
        } catch {
          return [];
        }
      });
  }

  get(task: string, id: string): RunRecord | undefined {
    return this.list(task).find((r) => r.id === id);
  }

  /** Keeps the newest `keep` finished runs (and any running one), with their logs. */
  prune(task: string, keep: number): void {
    const finished = this.list(task).filter((r) => r.state !== "RUNNING");
    for (const old of finished.slice(keep)) {
      rmSync(join(this.taskDir(task), `${old.id}.json`), { force: true });
      rmSync(this.logPath(task, old.id), { force: true });
    }
  }

  /**
   * Runs left RUNNING by a process that died: their rclone is stopped if it is
   * still there, and they end ABORTED. Returns what was cleaned up.
   */
  reconcile(task: string, isHeld: (task: string) => LockHolder | undefined, now: Date): RunRecord[] {
    const holder = isHeld(task);
    const cleaned: RunRecord[] = [];
    for (const record of this.list(task)) {
      if (record.state !== "RUNNING") continue;
      if (holder && holder.pid === record.pid && !holderIsDead(holder)) continue;
      if (record.rclone_pid !== null && isRclone(record.rclone_pid)) {
        try {
          process.kill(-record.rclone_pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
      const ended: RunRecord = { ...record, state: "ABORTED", finished_at: now.toISOString(), error: "the cloudsync process running it stopped unexpectedly" };
      this.save(ended);
      cleaned.push(ended);
    }
    return cleaned;
  }
}
