import { closeSync, openSync, writeSync } from "node:fs";
import { fsReason, UserError } from "../errors.js";

/** One line of a run's log as it is stored: its time, then the text. */
export const logLine = (text: string, at: Date) => `${at.toISOString()} ${text}\n`;

/**
 * A run's log file. A line that cannot be written (a full disk) is not an
 * exception in the middle of a run: the first problem is kept, writing
 * stops, and the run ends saying so.
 */
/** Lines are gathered and written in blocks: one system call per line was most of a large run's cost. */
const BUFFER_BYTES = 64 * 1024;
/** …but never held longer than this, so `logs -f` and the dashboard see a run as it goes. */
const FLUSH_MS = 200;

export class RunLog {
  private problem: string | null = null;
  private pending: string[] = [];
  private pendingBytes = 0;
  private timer: NodeJS.Timeout | null = null;
  // The time text of the last line, reused while the clock has not moved on.
  private lastMs = Number.NaN;
  private lastTime = "";

  private constructor(
    private fd: number | null,
    private readonly now: () => Date,
  ) {}

  /** Appends to the log at `path`; every line gets the time it was written, in full (ISO 8601, UTC). */
  static open(path: string, now: () => Date = () => new Date()): RunLog {
    try {
      return new RunLog(openSync(path, "a", 0o600), now);
    } catch (error) {
      throw new UserError(`cannot write the run log ${path}: ${fsReason(error)}`);
    }
  }

  write(line: string): void {
    if (this.fd === null) return;
    const at = this.now();
    const ms = at.getTime();
    if (ms !== this.lastMs) {
      this.lastMs = ms;
      this.lastTime = at.toISOString();
    }
    const text = `${this.lastTime} ${line}\n`;
    this.pending.push(text);
    this.pendingBytes += text.length;
    if (this.pendingBytes >= BUFFER_BYTES) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), FLUSH_MS).unref();
  }

  /** Writes what is gathered now. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.fd === null || this.pending.length === 0) return;
    const block = this.pending.join("");
    this.pending = [];
    this.pendingBytes = 0;
    try {
      writeSync(this.fd, block);
    } catch (error) {
      this.problem = fsReason(error);
      this.close();
    }
  }

  /** Why the log is incomplete, if it is. */
  get failure(): string | null {
    this.flush();
    return this.problem;
  }

  close(): void {
    this.flush();
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
  }
}
