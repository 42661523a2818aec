// A small JSON file per task beside its records (runs/TASK.SUFFIX.json):
// read when it is there and makes sense, replaced whole, removed.
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { makeDirectory, taskName, writeRecordFile } from "./run-records.js";

export class TaskFile<T> {
  constructor(
    private readonly stateDir: string,
    private readonly suffix: string,
    /** What the file holds, for messages. */
    private readonly what: string,
    /** Whether a parsed file is what it should be (a damaged or foreign one reads as absent). */
    private readonly valid: (value: unknown, task: string) => value is T,
  ) {}

  private path(task: string): string {
    return join(this.stateDir, "runs", `${taskName(task)}.${this.suffix}.json`);
  }

  read(task: string): T | null {
    try {
      const value: unknown = JSON.parse(readFileSync(this.path(task), "utf8"));
      return this.valid(value, task) ? value : null;
    } catch {
      return null;
    }
  }

  write(task: string, value: T): void {
    makeDirectory(join(this.stateDir, "runs"));
    writeRecordFile(this.path(task), `${JSON.stringify(value, null, 2)}\n`, this.what);
  }

  remove(task: string): void {
    rmSync(this.path(task), { force: true });
  }
}
