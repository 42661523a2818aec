// What the last look at a task's versions found (runs/TASK.versions.json):
// the oldest version folder, and when it was looked at. A run prunes after
// a fresh look only when that folder may have expired, or a day has passed:
// listing the folder costs another rclone (and a round trip) per run.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { makeDirectory, taskName, writeRecordFile } from "./run-records.js";

export interface VersionsSeenEntry {
  /** The oldest version folder's stamp; null: none was there. */
  oldest: string | null;
  /** When the folders were listed, as an ISO time. */
  listed_at: string;
}

export class VersionsSeen {
  constructor(readonly stateDir: string) {}

  private path(task: string): string {
    return join(this.stateDir, "runs", `${taskName(task)}.versions.json`);
  }

  read(task: string): VersionsSeenEntry | null {
    try {
      const value = JSON.parse(readFileSync(this.path(task), "utf8")) as VersionsSeenEntry;
      return typeof value.listed_at === "string" ? value : null;
    } catch {
      return null;
    }
  }

  save(task: string, entry: VersionsSeenEntry): void {
    makeDirectory(join(this.stateDir, "runs"));
    writeRecordFile(this.path(task), `${JSON.stringify(entry)}\n`, "what the versions held");
  }
}
