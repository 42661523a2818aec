// What the last look at a task's versions found (runs/TASK.versions.json):
// the oldest version folder, and when it was looked at. A run prunes after
// a fresh look only when that folder may have expired, or a day has passed:
// listing the folder costs another rclone (and a round trip) per run.
import { TaskFile } from "./task-files.js";

export interface VersionsSeenEntry {
  /** The oldest version folder's stamp; null: none was there. */
  oldest: string | null;
  /** When the folders were listed, as an ISO time. */
  listed_at: string;
}

const isEntry = (value: unknown): value is VersionsSeenEntry => value !== null && typeof value === "object" && typeof (value as VersionsSeenEntry).listed_at === "string";

/** One per destination: a task's only one, or each named one (`runs/TASK.DEST.versions.json`). */
export class VersionsSeen extends TaskFile<VersionsSeenEntry> {
  constructor(stateDir: string, destination: string | null) {
    super(stateDir, destination === null ? "versions" : `${destination}.versions`, "what the versions held", isEntry);
  }
}
