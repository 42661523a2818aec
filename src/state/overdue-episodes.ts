// Which overdue episode of each task was last told (runs/overdue.json): the id
// of its last success, or "never". One notification per episode, across restarts.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { makeDirectory, writeRecordFile } from "./run-records.js";

export class OverdueEpisodes {
  constructor(readonly stateDir: string) {}

  private get path(): string {
    return join(this.stateDir, "runs", "overdue.json");
  }

  read(): Record<string, string> {
    try {
      return JSON.parse(readFileSync(this.path, "utf8")) as Record<string, string>;
    } catch {
      return {};
    }
  }

  save(episodes: Record<string, string>): void {
    makeDirectory(join(this.stateDir, "runs"));
    writeRecordFile(this.path, `${JSON.stringify(episodes, null, 2)}\n`, "the overdue episodes");
  }
}
