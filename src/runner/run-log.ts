import { closeSync, openSync, writeSync } from "node:fs";
import { fsReason, UserError } from "../errors.js";

/**
 * A run's log file. A line that cannot be written (a full disk) is not an
 * exception in the middle of a run: the first problem is kept, writing
 * stops, and the run ends saying so.
 */
export class RunLog {
  private problem: string | null = null;

  private constructor(private fd: number | null) {}

  static open(path: string): RunLog {
    try {
      return new RunLog(openSync(path, "a", 0o600));
    } catch (error) {
      throw new UserError(`cannot write the run log ${path}: ${fsReason(error)}`);
    }
  }

  write(line: string): void {
    if (this.fd === null) return;
    try {
      writeSync(this.fd, `${line}\n`);
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
