// The fleet: what each host publishes about itself (HOST.json, signed), and
// what a reader makes of the folder they share. Shapes only.
import type { TaskState } from "./results.js";

/** One task as its host reports it. Times are the host's own clock, ISO 8601. */
export interface FleetTask {
  name: string;
  enabled: boolean;
  /** The state of the last real run (RUNNING while one goes on), PENDING if none. */
  state: TaskState;
  last_run: { id: string; state: TaskState; finished_at: string | null; error: string | null } | null;
  last_success: string | null;
  next_run: string | null;
  overdue: boolean;
  held: boolean;
  /** For a task with destinations: each one's last outcome there. */
  destinations: { name: string; state: TaskState; finished_at: string | null; error: string | null }[] | null;
}

/** What one host says of itself: its file's `report`, which the signature covers. */
export interface HostReport {
  host: string;
  /** When the host wrote it, on its own clock. */
  written_at: string;
  /** The host writes at least this often (seconds): a reader can tell silence from a quiet day. */
  every_s: number;
  cloudsync: string;
  rclone: string | null;
  /** The applied configuration's serial. */
  serial: number;
  tasks: FleetTask[];
}

/** HOST.json as it is stored: the report and its HMAC-SHA256 with the fleet's key. */
export interface HostFile {
  cloudsync_fleet: 1;
  report: HostReport;
  /** `hmac-sha256:HEX` of the report's JSON text. */
  signature: string;
}

export type StateCounts = Record<TaskState, number>;

/** One host as a reader sees it. */
export interface FleetHost {
  host: string;
  /** Its file is signed with the fleet's key and reads whole; an untrusted file's content is never shown. */
  trusted: boolean;
  /** Why it is not trusted. */
  problem: string | null;
  /** Silent for longer than stale_after. */
  stale: boolean;
  /** When the reader last saw its file change, on the reader's clock (clock skew between hosts aside). */
  last_seen: string | null;
  /** When the host says it wrote its file, on its own clock. */
  written_at: string | null;
  cloudsync: string | null;
  rclone: string | null;
  serial: number | null;
  counts: StateCounts;
  overdue: number;
  tasks: FleetTask[];
}

/** The fleet as `cloudsync fleet --json`, the page and the metrics see it. */
export interface FleetView {
  /** Where the files are: `credential:bucket/folder`. */
  folder: string;
  read_at: string;
  stale_after: string;
  /** This host's name in the fleet. */
  self: string;
  hosts: FleetHost[];
  /** Tasks per state across the trusted hosts. */
  counts: StateCounts;
}

/** What a reader remembers between reads, to tell when each host's file last changed on its own clock. */
export interface FleetSightings {
  read_at: string | null;
  hosts: Record<string, { signature: string; seen_at: string }>;
  /** What was told already: hosts told STALE or untrusted, and failed runs told (`task@run`), per host. */
  told: { stale: string[]; untrusted: string[]; failed: Record<string, string[]> };
}
