// What the operations give back for every front end to render (src/views): the
// same shapes for the CLI's text and --json, and the dashboard's API. Shapes only.
import type { CredentialSpec, TaskSpec, DesiredConfig } from "./config.js";
import type { Diagnostic } from "./diagnostics.js";
import type { LockHolder } from "./lock.js";
import type { Plan } from "./plan.js";
import type { RunRecord } from "./run-record.js";

export type TaskState = "PENDING" | RunRecord["state"];

export interface TaskStatus {
  name: string;
  description: string;
  direction: TaskSpec["direction"];
  transfer_mode: TaskSpec["transfer_mode"];
  path: string;
  /** `credential:bucket/folder`. */
  remote: string;
  enabled: boolean;
  schedule: string | null;
  state: TaskState;
  last_run: RunRecord | null;
  /** The newest run that ended with an error, if any. */
  last_error: { run_id: string; finished_at: string | null; error: string } | null;
  last_success: { run_id: string; finished_at: string | null } | null;
  /** The newest finished check and what it found. */
  last_check: RunRecord | null;
  next_run: string | null;
  /** When its scheduled check runs next; null without a check schedule (or disabled). */
  next_check: string | null;
  /** For a task with destinations: each one's last run there (null: not run yet); null for a task of one destination. */
  destinations: DestinationStatus[] | null;
  /** What runs now (a run, a dry run or a check), if anything. */
  running: RunRecord | null;
  /** The last runs and checks, newest first, dry runs among them (for a history at a glance). */
  recent: RunRecord[];
  /** Whether it writes anywhere encrypted. */
  encrypted: boolean;
  /** Its last success is older than max_age. */
  overdue: boolean;
}

export interface DestinationStatus {
  name: string;
  /** `credential:bucket/folder`. */
  remote: string;
  state: TaskState;
  /** The newest run that went there. */
  last_run_id: string | null;
  finished_at: string | null;
  error: string | null;
}

export interface StatusReport {
  state_dir: string;
  serial: number;
  applied_at: string | null;
  timezone: string | null;
  /** The watch service serving this state directory, if one is alive. */
  service: (LockHolder & { alive: true }) | null;
  tasks: TaskStatus[];
  /** The file has changes that are not applied. */
  pending_changes: boolean;
}

export interface Validation {
  valid: boolean;
  diagnostics: Diagnostic[];
  config: DesiredConfig | null;
}

/** Where a credential or task was found: the file as it stands, or the applied state. */

/** Where a credential or task was found: the file as it stands, or the applied state. */
export type Source = "file" | "applied";

export interface Verification {
  credential: string;
  type: string;
  source: Source;
  valid: boolean;
  error: string | null;
  excerpt: string[];
}

export interface BucketList {
  credential: string;
  buckets: { name: string; created: string | null }[];
}

export interface Listing {
  location: string;
  entries: RemoteEntry[];
}

export interface RemoteEntry {
  name: string;
  path: string;
  is_dir: boolean;
  /** Bytes; null for directories. */
  size: number | null;
  /** ISO-8601, as the remote reports it. */
  modified: string | null;
}

export type AbortResult =
  /** The run was asked to stop and has stopped. */
  | { outcome: "stopped"; task: string; holder: LockHolder; record: RunRecord | null }
  /** Nobody ran it any more: runs a dead process left RUNNING are now ABORTED. */
  | { outcome: "cleaned"; task: string; records: RunRecord[] };

export interface RestoreResult {
  name: string;
  /** The generated task, as YAML lines ready to go under `tasks:`. */
  entry: string;
  written: boolean;
  diagnostics: Diagnostic[];
}

/** The configuration file against what is applied. */
export interface FileHealth {
  /** applied: the file is what is applied; differs: it is valid but not applied; rejected: it has errors. */
  state: "applied" | "differs" | "rejected";
  diagnostics: Diagnostic[];
  /** What apply would change, when the file differs. */
  plan: Plan | null;
}

/** The service's health as the dashboard shows it. */
export interface ServiceHealth {
  service: { pid: number; since: string };
  serial: number;
  applied_at: string | null;
  /** The configuration file as the user named it. */
  file: string;
  config: FileHealth;
  readOnly: boolean;
}

/** One task as its page shows it. */
export interface TaskDetail {
  name: string;
  spec: TaskSpec;
  credential: { name: string; spec: CredentialSpec } | null;
  /** Where the file defines it (1-based), if it still does. */
  definedAt: { file: string; line: number; column: number } | null;
  /** Its entry exactly as the file has it, if it still does. */
  written: string | null;
  /** Its last runs and checks, newest first. */
  runs: RunRecord[];
}

/** `versions TASK`: the version folders of a task's destination. */
export interface VersionsReport {
  task: string;
  /** versions.keep as applied; null when the task keeps no versions (any kept before are still listed). */
  keep: string | null;
  /** Where the versions are, as the user knows the place (`remote:bucket/folder/.cloudsync-versions`). */
  place: string;
  folders: { stamp: string; replaced_at: string; files: number; bytes: number; expires_at: string | null }[];
}

/** `versions TASK PATH`: every kept version of a file or of the files in a folder, and what is there now. */
export interface PathVersions {
  task: string;
  path: string;
  versions: { stamp: string; replaced_at: string; path: string; size: number; modified: string }[];
  /** The files at the path now, at the destination. */
  current: { path: string; size: number; modified: string }[];
}

/** One folder of a task's destination as it was at a time: what the dashboard's versions browser shows. */
export interface FolderAt {
  task: string;
  at: string;
  /** The folder, relative to the destination ("" for its top). */
  path: string;
  entries: { name: string; path: string; is_dir: boolean; size: number | null; modified: string | null; from: string | null }[];
}

/** `restore TASK --at TIME --to DIR`. */
export interface RestoreAtResult {
  task: string;
  at: string;
  to: string;
  dry_run: boolean;
  /** Each file written (or, in a dry run, that would be), and where its copy came from: the destination, or a version folder. */
  files: { path: string; size: number; modified: string; from: string }[];
  bytes: number;
}
