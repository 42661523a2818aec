// The desired state: what a valid configuration file asks for, normalised
// (defaults filled in, presets expanded, case folded, references resolved).
// Field names are the file's, so plans can name changed fields as users wrote them.

/** What a task's, a credential's or a channel's name may be (the schema's `name`); never a path. */
export const ENTRY_NAME = /^[a-z0-9][a-z0-9_-]*$/;

export type Direction = "push" | "pull";
export type TransferMode = "copy" | "move" | "sync";

export interface Settings {
  /** As written (relative to the config file), or null for the default. */
  state_dir: string | null;
  /** IANA zone, or null for the system's. */
  timezone: string | null;
  max_parallel_runs: number;
  log_retention: number;
  allowed_roots: string[];
  rclone: string;
  /** Channels every task notifies unless it names its own. */
  notify: string[];
  metrics: MetricsSettings;
  web: WebSettings;
  /** The fleet this host reports to and reads; absent when it is in none (so older applied states compare equal). */
  fleet?: FleetSettings;
}

export interface FleetSettings {
  /** Where every host of the fleet writes its file. */
  publish: { credential: string; bucket: string | null; folder: string };
  /** The HMAC key the hosts sign their files with. */
  key: string;
  /** This host's name in the fleet, or null for the machine's. */
  host: string | null;
  /** Silence longer than this makes a host STALE (a duration). */
  stale_after: string;
}

export const DEFAULT_STALE_AFTER = "15m";

export interface WebSettings {
  /** host:port `watch` serves the dashboard on, or null. */
  listen: string | null;
  /** The password every request needs; null: loopback only, no login. */
  token: string | null;
  read_only: boolean;
}

export interface MetricsSettings {
  /** host:port `watch` serves /metrics on, or null. */
  listen: string | null;
  /** A file rewritten after every run and check (node_exporter's textfile collector), absolute, or null. */
  textfile: string | null;
}

/** What a channel can be told of. */
export type NotifyEvent = "start" | "success" | "failure" | "recovered" | "overdue" | "check_failed" | "config_rejected" | "held" | "fleet_stale" | "fleet_failure";
export const NOTIFY_EVENTS: readonly NotifyEvent[] = ["start", "success", "failure", "recovered", "overdue", "check_failed", "config_rejected", "held", "fleet_stale", "fleet_failure"];
/** What a channel without `events` gets: the news worth waking up for (of this host: every host of a fleet tells its own). */
export const DEFAULT_EVENTS: readonly NotifyEvent[] = ["failure", "overdue", "recovered", "check_failed", "config_rejected", "held"];
/** healthchecks checks follow runs: they always get these, and only these. */
export const HEALTHCHECKS_EVENTS: readonly NotifyEvent[] = ["start", "success", "failure", "held"];

export type ChannelType = "webhook" | "slack" | "discord" | "ntfy" | "healthchecks" | "email" | "command";

/** A notification channel, resolved; only the fields of its type are set. */
export interface ChannelSpec {
  type: ChannelType;
  /** The events it gets (defaults filled in). */
  events: NotifyEvent[];
  url: string | null;
  headers: Record<string, string>;
  token: string | null;
  priority: number | null;
  smtp: string | null;
  user: string | null;
  password: string | null;
  from: string | null;
  to: string[];
  /** A program and its arguments, or one line for /bin/sh (a list of one element with `shell`). */
  command: { argv: string[]; shell: boolean } | null;
}

export interface CredentialSpec {
  /** rclone's canonical backend name (`google cloud storage`, not `gcs`). */
  type: string;
  /** The backend's rclone options, resolved, as rclone would read them from a config file. */
  options: Record<string, string | number | boolean>;
}

export interface EncryptionSpec {
  password: string;
  salt: string | null;
  filename_encryption: boolean;
}

export interface TaskSpec {
  description: string;
  direction: Direction;
  transfer_mode: TransferMode;
  /** Let a sync or move run from a source with nothing to transfer (otherwise refused: it would delete everything). */
  allow_empty_source: boolean;
  /** The most files a sync may delete: a count, or a share of the destination's files as written ("20%"); null: no limit. */
  max_delete: number | string | null;
  path: string;
  credential: string;
  bucket: string | null;
  /** Path inside the bucket (no leading slash) or on the remote (as written: `/srv` absolute, `srv` relative); "" is the top. */
  folder: string;
  /** A 5- or 6-field cron expression, or null when the task runs only when asked. */
  schedule: string | null;
  enabled: boolean;
  snapshot: boolean;
  create_empty_src_dirs: boolean;
  follow_symlinks: boolean;
  fast_list: boolean;
  transfers: number;
  /** In rclone's --bwlimit syntax, or null for no limit. */
  bwlimit: string | null;
  exclude: string[];
  include: string[];
  pre_script: string;
  post_script: string;
  encryption: EncryptionSpec | null;
  rclone_args: string[];
  retries: number;
  /** A duration such as 30s, as written. */
  retry_delay: string;
  /** A duration such as 6h, or null for no limit. */
  timeout: string | null;
  /** Run once at service start if a scheduled time was missed while it was down. */
  catchup: boolean;
  /** Channels to notify, replacing settings.notify; null: settings.notify. */
  notify: string[] | null;
  /** A duration such as 26h after the last success when the task is overdue, as written; null: never. */
  max_age: string | null;
  /** Scheduled verification of what the remote holds, or null. */
  check: CheckSpec | null;
  /** Keep what runs replace at the destination, or null. */
  versions: VersionsSpec | null;
  /** Several places the source goes to, by name, instead of the task's own credential, bucket, folder and encryption (null: those). */
  destinations: Record<string, DestinationSpec> | null;
  /** How many destinations a run writes to at once. */
  parallel: number;
}

/** The task's settings a destination may set for itself. */
export const DESTINATION_OVERRIDES = ["transfer_mode", "bwlimit", "transfers", "rclone_args", "max_delete", "versions", "check"] as const;
export type DestinationOverrides = Partial<Pick<TaskSpec, (typeof DESTINATION_OVERRIDES)[number]>>;

export interface DestinationSpec {
  credential: string;
  bucket: string | null;
  folder: string;
  encryption: EncryptionSpec | null;
  /** Only the settings it sets itself; the others are the task's. */
  overrides: DestinationOverrides;
}

export interface VersionsSpec {
  /** How long a replaced file is kept, counted from the run that replaced it: a duration as written (90d). */
  keep: string;
}

export interface CheckSpec {
  /** A 5- or 6-field cron expression. */
  schedule: string;
  /** Compare content by downloading, not by hash and size. */
  download: boolean;
}

export interface DesiredConfig {
  settings: Settings;
  credentials: Record<string, CredentialSpec>;
  notifications: Record<string, ChannelSpec>;
  tasks: Record<string, TaskSpec>;
}

export const DEFAULT_SETTINGS: Settings = {
  state_dir: null,
  timezone: null,
  max_parallel_runs: 4,
  log_retention: 20,
  allowed_roots: [],
  rclone: "rclone",
  notify: [],
  metrics: { listen: null, textfile: null },
  web: { listen: null, token: null, read_only: false },
};

/**
 * Fields added after state format 1 began, with the value that keeps an
 * older applied state behaving as it did (and its plan free of noise).
 */
export const LATER_TASK_FIELDS: Pick<TaskSpec, "allow_empty_source" | "max_delete" | "notify" | "max_age" | "check" | "versions" | "destinations" | "parallel"> = {
  allow_empty_source: false,
  max_delete: null,
  notify: null,
  max_age: null,
  check: null,
  versions: null,
  destinations: null,
  parallel: 1,
};
export const LATER_SETTINGS: Pick<Settings, "notify" | "metrics" | "web"> = { notify: [], metrics: { listen: null, textfile: null }, web: { listen: null, token: null, read_only: false } };

export const TRANSFERS_ALIASES: Readonly<Record<string, number>> = { low: 4, medium: 8, high: 16 };
export const DEFAULT_TRANSFERS = 4;
export const DEFAULT_RETRIES = 2;
export const DEFAULT_RETRY_DELAY = "30s";

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Milliseconds in a duration in rclone's grammar: 1h30m, 1.5h, 90s, 500ms, 8d, 2w (the schema has checked the form). */
export function durationMs(text: string): number {
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g)) total += Number(amount) * DURATION_UNITS[unit!]!;
  return Math.round(total);
}
