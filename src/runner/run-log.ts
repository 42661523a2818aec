import { closeSync, openSync, writeSync } from "node:fs";
import { fsReason, UserError } from "../errors.js";

/** One line of a run's log as it is stored: its time, then the text. */
export const logLine = (text: string, at: Date) => `${at.toISOString()} ${text}\n`;

/**
 * A run's log file. A line that cannot be written (a full disk) is not an
 * exception in the middle of a run: the first problem is kept, writing
 * stops, and the run ends saying so.
 */
export class RunLog {
  private problem: string | null = null;

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
    try {
      writeSync(this.fd, logLine(line, this.now()));
    } catch (error) {
      this.problem = fsReason(error);
      this.close();
    }
  }

  /** Why the log is incomplete, if it is. */
  get failure(): string | null {
    return this.problem;
  }

  close(): void {
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
  }
}
