import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { ENTRY_NAME } from "../config/model.js";
import { fsReason, UserError } from "../errors.js";
import { bootId } from "../process/identity.js";
import { endLeftoverGroup, type ProcessGroup } from "../process/run.js";
import { makePrivateDirectory } from "../state/durable.js";
import { FileLock, holderIsDead, type LockHolder } from "../state/lock.js";
import type { Counters } from "../metrics/model.js";

export type RunState = "RUNNING" | "SUCCESS" | "FAILED" | "ABORTED";

export type RecordKind = "run" | "check";

/** What a check found, by file: in both and equal, different, on one side only, unreadable. */
export interface CheckCounts {
  matched: number;
  differ: number;
  missing_on_remote: number;
  missing_on_local: number;
  errors: number;
}

export interface RunRecord {
  id: string;
  /** A transfer, or a verification (check) of what the remote holds. */
  kind: RecordKind;
  /** One more than the task's previous run: the order of runs, whatever the clock did meanwhile. */
  seq: number;
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
  /** The cloudsync process running it, so another process can tell whether it still runs. */
  pid: number;
  /** The boot the run happened in: a process group of another boot (or host) is not ours to end. */
  boot_id: string | null;
  /** The process group of the script, rclone or snapshot command running now, so a later start can end what a dead run left. */
  process_group: ProcessGroup | null;
  /** A check's findings; null for runs (and a check until it has them). */
  check: CheckCounts | null;
}

/** Why a run that a dead process left RUNNING is over. */
export const DIED = "the cloudsync process running it stopped unexpectedly";

/**
 * A record as it stands for readers (status, history, the web page): a run
 * still marked RUNNING whose process is gone is shown ABORTED, without
 * changing the record (only the next start of the task, or of watch, does).
 */
export function asSeen(record: RunRecord, holderGone: boolean): RunRecord {
  if (record.state !== "RUNNING" || !holderGone) return record;
  return { ...record, state: "ABORTED", error: DIED, process_group: null };
}

/** The newest successful real run among a task's records (newest first), if any. */
export function lastSuccess(records: readonly RunRecord[]): (RunRecord & { finished_at: string }) | undefined {
  return records.find((r): r is RunRecord & { finished_at: string } => r.kind === "run" && r.state === "SUCCESS" && !r.dry_run && r.finished_at !== null);
}

/** A record of an older version, with the fields added since at the values it meant. */
function withDefaults(record: RunRecord): RunRecord {
  return { ...record, kind: record.kind ?? "run", check: record.check ?? null };
}

const RUN_STATES: ReadonlySet<unknown> = new Set(["RUNNING", "SUCCESS", "FAILED", "ABORTED"]);
const isTime = (value: unknown) => typeof value === "string" && !Number.isNaN(Date.parse(value));

/** Whether a parsed file in runs/TASK/ is that task's run record `id` (a hand-edited or foreign file is not). */
function isRecordOf(value: unknown, task: string, id: string): value is RunRecord {
  if (value === null || typeof value !== "object") return false;
  const record = value as Partial<Record<keyof RunRecord, unknown>>;
  return (
    record.id === id &&
    record.task === task &&
    RUN_STATES.has(record.state) &&
    isTime(record.started_at) &&
    (record.finished_at === null || isTime(record.finished_at)) &&
    [record.bytes, record.files, record.deletes, record.checks].every((n) => typeof n === "number")
  );
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
  try {
    writeFileSync(temp, text, { mode: 0o600 });
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw new UserError(`cannot write the run record ${path}: ${fsReason(error)}`);
  }
}

function makeDirectory(path: string): void {
  try {
    makePrivateDirectory(path);
  } catch (error) {
    throw new UserError(`cannot create ${path}: ${fsReason(error)}`);
  }
}

/** A finished run's log is compressed once it is this old: notifications add their lines within seconds. */
const COMPRESS_AFTER_MS = 10 * 60_000;

/** A task's name as a part of a path: a name no task can have (`../x`) names no file either. */
function taskName(task: string): string {
  if (!ENTRY_NAME.test(task)) throw new UserError(`no task can be named "${task}": a task's name is lower-case letters, digits, - and _`);
  return task;
}

/** Run records and logs in the state directory: runs/TASK/ID.json and ID.log (ID.log.gz once finished a while). */
export class RunStore {
  constructor(readonly stateDir: string) {}

  taskDir(task: string): string {
    return join(this.stateDir, "runs", taskName(task));
  }

  lockPath(task: string): string {
    return join(this.stateDir, "runs", `${taskName(task)}.lock`);
  }

  private countersPath(task: string): string {
    return join(this.stateDir, "runs", `${taskName(task)}.counters.json`);
  }

  logPath(task: string, id: string): string {
    return join(this.taskDir(task), `${id}.log`);
  }

  /** Creates runs/ (0700) if needed, for the locks and records in it. */
  ensureDir(): void {
    makeDirectory(join(this.stateDir, "runs"));
  }

  save(record: RunRecord): void {
    makeDirectory(this.taskDir(record.task));
    writeAtomic(join(this.taskDir(record.task), `${record.id}.json`), `${JSON.stringify(record, null, 2)}\n`);
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

  /** The sequence number of the task's next run; call it holding the task's lock. */
  nextSeq(task: string): number {
    return (this.list(task)[0]?.seq ?? 0) + 1;
  }

  get(task: string, id: string): RunRecord | undefined {
    return this.list(task).find((r) => r.id === id);
  }

  /** Where a finished run's log is kept compressed. */
  compressedLogPath(task: string, id: string): string {
    return `${this.logPath(task, id)}.gz`;
  }

  /** A run's whole log, compressed or not ("" when there is none). Both parts count: a line may be added after compression. */
  readLogText(task: string, id: string): Buffer {
    const parts: Buffer[] = [];
    try {
      parts.push(gunzipSync(readFileSync(this.compressedLogPath(task, id))));
    } catch {
      // not compressed (yet), or unreadable: the plain part is all there is
    }
    try {
      parts.push(readFileSync(this.logPath(task, id)));
    } catch {
      // no plain part
    }
    return Buffer.concat(parts);
  }

  /**
   * Keeps the newest `keep` finished runs and `keep` finished checks (and any
   * running one), with their logs; compresses the logs of the kept ones that
   * finished a while ago (a notification may still add a line to a fresh one).
   */
  prune(task: string, keep: number, now: Date = new Date()): void {
    const finished = this.list(task).filter((r) => r.state !== "RUNNING");
    const beyond = [...finished.filter((r) => r.kind === "run").slice(keep), ...finished.filter((r) => r.kind === "check").slice(keep)];
    for (const old of beyond) {
      rmSync(join(this.taskDir(task), `${old.id}.json`), { force: true });
      rmSync(this.logPath(task, old.id), { force: true });
      rmSync(this.compressedLogPath(task, old.id), { force: true });
    }
    const gone = new Set(beyond.map((r) => r.id));
    for (const record of finished) {
      if (gone.has(record.id) || !record.finished_at || now.getTime() - Date.parse(record.finished_at) < COMPRESS_AFTER_MS) continue;
      this.compressLog(task, record.id);
    }
  }

  /** The plain log gzipped next to it (joined to an earlier compressed part), then removed; a failure leaves it plain. */
  private compressLog(task: string, id: string): void {
    const plain = this.logPath(task, id);
    if (!existsSync(plain)) return;
    const temporary = `${this.compressedLogPath(task, id)}.${process.pid}.tmp`;
    try {
      writeFileSync(temporary, gzipSync(this.readLogText(task, id)), { mode: 0o600 });
      renameSync(temporary, this.compressedLogPath(task, id));
      rmSync(plain, { force: true });
    } catch {
      rmSync(temporary, { force: true });
    }
  }

  /** A task's all-time counts of finished real runs (kept apart from the records, which are pruned). */
  counters(task: string): Counters {
    try {
      const value = JSON.parse(readFileSync(this.countersPath(task), "utf8")) as Partial<Counters>;
      return { runs: value.runs ?? {}, bytes: value.bytes ?? 0 };
    } catch {
      return { runs: {}, bytes: 0 };
    }
  }

  /** Counts a finished run; call it holding the task's lock. Dry runs and checks are not counted. */
  count(record: RunRecord): void {
    if (record.kind !== "run" || record.dry_run || record.state === "RUNNING") return;
    const counters = this.counters(record.task);
    counters.runs[record.state] = (counters.runs[record.state] ?? 0) + 1;
    counters.bytes += record.bytes;
    writeAtomic(this.countersPath(record.task), `${JSON.stringify(counters)}\n`);
  }

  /** Which overdue episode each task was last told of (by the id of its last success, or "never"). */
  overdueEpisodes(): Record<string, string> {
    try {
      return JSON.parse(readFileSync(join(this.stateDir, "runs", "overdue.json"), "utf8")) as Record<string, string>;
    } catch {
      return {};
    }
  }

  saveOverdueEpisodes(episodes: Record<string, string>): void {
    this.ensureDir();
    writeAtomic(join(this.stateDir, "runs", "overdue.json"), `${JSON.stringify(episodes, null, 2)}\n`);
  }

  /** The tasks that have records (applied or not). */
  tasks(): string[] {
    try {
      // A directory no task can be named after (lost+found, one made by hand) holds no task's runs.
      return readdirSync(join(this.stateDir, "runs"), { withFileTypes: true })
        .filter((e) => e.isDirectory() && ENTRY_NAME.test(e.name))
        .map((e) => e.name)
        .sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw new UserError(`cannot read the runs in ${join(this.stateDir, "runs")}: ${fsReason(error)}`);
    }
  }

  /**
   * Runs left RUNNING by a process that died: what they were running (rclone,
   * a script and everything it started) is ended if it is still there, and
   * they end ABORTED. Returns what was cleaned up.
   */
  reconcile(task: string, isHeld: (task: string) => LockHolder | undefined, now: Date, onKilled?: (pgid: number) => void): RunRecord[] {
    const holder = isHeld(task);
    const cleaned: RunRecord[] = [];
    for (const record of this.list(task)) {
      if (record.state !== "RUNNING") continue;
      if (holder && holder.pid === record.pid && !holderIsDead(holder)) continue;
      if (record.process_group && record.boot_id !== null && record.boot_id === bootId() && endLeftoverGroup(record.process_group)) onKilled?.(record.process_group.pgid);
      const ended: RunRecord = { ...record, state: "ABORTED", finished_at: now.toISOString(), error: DIED, process_group: null };
      this.save(ended);
      cleaned.push(ended);
    }
    return cleaned;
  }
}
