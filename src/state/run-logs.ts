// Run logs: runs/TASK/ID.log while a run may still be read live, gzipped to
// ID.log.gz once it has ended a while ago. Readers read either form.
import { appendFileSync, closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import type { RunRecord } from "../model/run-record.js";
import { replaceFile } from "./private-files.js";
import { logLine } from "./run-log.js";
import { taskName } from "./run-records.js";

/** A finished run's log is compressed once it is this old: notifications add their lines within seconds. */
const COMPRESS_AFTER_MS = 10 * 60_000;

const RCLONE_LOG_SUFFIX = ".rclone-log";

export class RunLogs {
  constructor(readonly stateDir: string) {}

  /** Adds a line at the end of a run's log (a notification's outcome, after the run has ended). */
  append(task: string, id: string, text: string, at: Date): void {
    appendFileSync(this.path(task, id), logLine(text, at));
  }

  path(task: string, id: string): string {
    return join(this.stateDir, "runs", taskName(task), `${id}.log`);
  }

  /** Where a finished run's log is kept compressed. */
  compressedPath(task: string, id: string): string {
    return `${this.path(task, id)}.gz`;
  }

  /** A run's whole log, compressed or not ("" when there is none). Both parts count: a line may be added after compression. */
  read(task: string, id: string): Buffer {
    const parts: Buffer[] = [];
    try {
      parts.push(gunzipSync(readFileSync(this.compressedPath(task, id))));
    } catch {
      // not compressed (yet), or unreadable: the plain part is all there is
    }
    try {
      parts.push(readFileSync(this.path(task, id)));
    } catch {
      // no plain part
    }
    return Buffer.concat(parts);
  }

  /** The log from `offset` on, and the offset after it; a compressed log reads the same. */
  readFrom(task: string, id: string, offset: number): { chunk: Buffer; offset: number } {
    const path = this.path(task, id);
    let size: number;
    try {
      size = statSync(path).size;
    } catch {
      // A finished run's log, compressed: read whole (it grows no more).
      const whole = this.read(task, id);
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

  remove(task: string, id: string): void {
    rmSync(this.path(task, id), { force: true });
    rmSync(this.compressedPath(task, id), { force: true });
  }

  /** The files rclone was writing for the run `id` when its process died (a run that ends removes its own). */
  rcloneLogsLeft(task: string, id: string): string[] {
    const prefix = `.${id}.`;
    const dir = join(this.stateDir, "runs", taskName(task));
    return (existsSync(dir) ? readdirSync(dir) : []).filter((name) => name.startsWith(prefix) && name.endsWith(RCLONE_LOG_SUFFIX)).map((name) => join(dir, name));
  }

  removeRcloneLogs(task: string, id: string): void {
    for (const path of this.rcloneLogsLeft(task, id)) rmSync(path, { force: true });
  }

  /**
   * Where rclone writes its log while a run's destination runs: beside the run's own log (on the state
   * directory's disk: a run of a million files writes ~180 MB of it, too much for a /tmp in memory),
   * removed once read.
   */
  rclonePath(task: string, id: string, destination: string | null): string {
    return join(this.stateDir, "runs", taskName(task), `.${id}.${destination ?? "task"}${RCLONE_LOG_SUFFIX}`);
  }

  /** Compresses the logs of the runs among `records` that ended a while ago (a notification may still add a line to a fresh one). */
  compressFinished(records: readonly RunRecord[], now: Date): void {
    for (const record of records) {
      if (record.state === "RUNNING" || !record.finished_at || now.getTime() - Date.parse(record.finished_at) < COMPRESS_AFTER_MS) continue;
      this.compress(record.task, record.id);
    }
  }

  /** The plain log gzipped next to it (joined to an earlier compressed part), then removed; a failure leaves it plain. */
  private compress(task: string, id: string): void {
    const plain = this.path(task, id);
    if (!existsSync(plain)) return;
    try {
      replaceFile(this.compressedPath(task, id), gzipSync(this.read(task, id)), { mode: 0o600 });
      rmSync(plain, { force: true });
    } catch {
      // kept plain: read alike
    }
  }
}
