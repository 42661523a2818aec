// Generated from schema/cloudsync.schema.json by scripts/generate-backends.mjs. Do not edit.

/**
 * Settings for the whole file. All optional.
 */
export type Settings = {
  /**
   * Where cloudsync keeps the applied configuration, the run history and the run logs. Relative to this file. Default: `.cloudsync` beside this file. Overridden by `--state-dir` and `$CLOUDSYNC_STATE_DIR`.
   */
  state_dir?: string;
  /**
   * IANA time zone the schedules are read in, e.g. `Europe/Berlin` or `UTC`. Default: the system's.
   */
  timezone?: string;
  /**
   * How many runs may go on at once across all tasks. Further due runs wait in a queue, first come first served. Default: 4.
   */
  max_parallel_runs?: number;
  /**
   * How many finished runs (with their logs) are kept per task. Default: 20.
   */
  log_retention?: number;
  /**
   * If set, every task's `path` must lie inside one of these absolute directories (like TrueNAS keeping tasks under /mnt).
   */
  allowed_roots?: string[];
  /**
   * The rclone executable to run. Default: `rclone` on PATH.
   */
  rclone?: string;
  /**
   * Notification channels every task uses unless it names its own with `notify:`. Default: none.
   */
  notify?: Name[];
  metrics?: Metrics;
  web?: Web;
  fleet?: Fleet;
} | null;
/**
 * A name: lower-case letters, digits, '_' and '-', starting with a letter or digit.
 */
export type Name = string;
/**
 * Prometheus metrics: served by `cloudsync watch` and/or written to a file for node_exporter's textfile collector.
 */
export type Metrics = {
  /**
   * Address `cloudsync watch` serves `/metrics` on, e.g. `127.0.0.1:9184` or `:9184`.
   */
  listen?: string;
  /**
   * A file rewritten (atomically) after every run and check, for node_exporter's textfile collector, e.g. `/var/lib/prometheus/node-exporter/cloudsync.prom`. Written by `cloudsync run` too, without a service.
   */
  textfile?: string;
} | null;
/**
 * The web dashboard `cloudsync watch` serves: the task list, logs, Run now, Dry run, Abort, Check and Restore.
 */
export type Web = {
  /**
   * Address to serve the page on, e.g. `127.0.0.1:8080`. Without `token` it must be a loopback address.
   */
  listen?: string;
  /**
   * The password every request needs (a login form sets a cookie; the API takes `Authorization: Bearer`). Required for an address other than loopback. Secret: use `${VAR}`.
   */
  token?: string;
  /**
   * Show, but refuse every action (Run now, Abort, Check, Restore…). Default: false.
   */
  read_only?: boolean;
} | null;
/**
 * Many hosts, one view, with no agent and no open port: this service writes a signed `HOST.json` to a shared folder after every run and check and at least every 5 minutes, and reads the others' (`cloudsync fleet`, the dashboard's Fleet view, metrics, notifications).
 */
export type Fleet = {
  /**
   * Where the hosts of the fleet write their files: a credential, and the bucket and folder on it (any rclone backend). Every host of one fleet names the same place.
   */
  publish: {
    /**
     * The name of an entry under `credentials`.
     */
    credential: string;
    /**
     * The bucket (or container), for bucket-based backends; an error for the others.
     */
    bucket?: string;
    /**
     * The folder the hosts' files go in. Default: the top of the bucket or remote.
     */
    folder?: string;
  };
  /**
   * The key every host of the fleet signs its file with (HMAC-SHA256), at least 16 characters; a file signed with another key is shown as untrusted, never merged. Secret: use `${VAR}`.
   */
  key: string;
  /**
   * This host's name in the fleet: letters, digits, `.`, `_` and `-`. Default: the machine's host name.
   */
  host?: string;
  /**
   * A host silent for longer than this is STALE. Default: `15m`. Hosts write at least every 5 minutes (more often when this is shorter).
   */
  stale_after?: string;
} | null;
/**
 * Keep what runs replace: every file a run deletes or overwrites at the destination is moved into `.cloudsync-versions/STAMP/` there (STAMP: the run's start, UTC) and kept for `keep`. `cloudsync versions TASK` lists them; `cloudsync restore TASK --at TIME --to DIR` brings back the destination as it was at TIME.
 */
export type Versions = {
  /**
   * How long a replaced or deleted file is kept, counted from when a run replaced it (never from the file's own modification time), e.g. `30d`, `90d`, `1w`. Older version folders are pruned after each successful run.
   */
  keep: string;
} | null;
/**
 * Verification: `cloudsync watch` checks on this schedule that the remote holds what the task's source holds (rclone check, or cryptcheck for an encrypted task). A check never writes; it and a run of the task never overlap.
 */
export type Check = {
  /**
   * When to check: the same forms as the task's schedule (a preset, a cron expression, or {minute, hour, dom, month, dow}).
   */
  schedule: string | ScheduleObject;
  /**
   * Compare content byte for byte by downloading, rather than by hash and size. Default: false.
   */
  download?: boolean;
} | null;

/**
 * Scheduled rclone transfers between local directories and cloud storage, kept as code. Point your editor at this file with a first line `# yaml-language-server: $schema=<path to schema/cloudsync.schema.json>`.
 */
export interface CloudsyncConfiguration {
  /**
   * Version of the file format. Must be 1.
   */
  version: 1;
  settings?: Settings;
  /**
   * Connections to storage providers, by name. Tasks refer to them with `credential: NAME`. Keep secrets out of the file with `${VAR}` or `${file:/path}`.
   */
  credentials?: {
    [k: string]: Credential;
  } | null;
  /**
   * Where cloudsync tells of failures, recoveries, overdue backups and rejected edits, by channel name. Tasks pick channels with `notify:` (default: `settings.notify`). Keep URLs with tokens and passwords out of the file with `${VAR}`.
   */
  notifications?: {
    [k: string]: Notification;
  } | null;
  /**
   * Transfers, by name. The name is the task's identity: renaming a task deletes the old one and creates a new one.
   */
  tasks?: {
    [k: string]: Task;
  } | null;
}
/**
 * A connection to a storage provider. `type` is an rclone backend (s3, b2, azureblob, sftp, webdav, drive, local, …); every other key is one of that backend's rclone options, named as rclone names it (see https://rclone.org/overview/). Password options are obscured for rclone automatically: write them in plain text, ideally through `${VAR}` or `${file:/path}`.
 */
export interface Credential {
  /**
   * The rclone backend.
   */
  type:
    | "amazon cloud drive"
    | "acd"
    | "azureblob"
    | "b2"
    | "box"
    | "drive"
    | "dropbox"
    | "fichier"
    | "filefabric"
    | "ftp"
    | "google cloud storage"
    | "gcs"
    | "google photos"
    | "gphotos"
    | "hdfs"
    | "hidrive"
    | "http"
    | "internetarchive"
    | "jottacloud"
    | "koofr"
    | "local"
    | "mailru"
    | "netstorage"
    | "onedrive"
    | "opendrive"
    | "pcloud"
    | "premiumizeme"
    | "putio"
    | "s3"
    | "seafile"
    | "sftp"
    | "sharefile"
    | "sia"
    | "smb"
    | "sugarsync"
    | "swift"
    | "uptobox"
    | "webdav"
    | "yandex"
    | "zoho";
  [k: string]: unknown;
}
/**
 * A notification channel. `type` says where to: `webhook` (a JSON POST), `slack` or `discord` (incoming webhooks), `ntfy`, `healthchecks` (healthchecks.io or a self-hosted instance: start, success and fail pings), `email` (SMTP) or `command` (a program).
 */
export interface Notification {
  /**
   * Where the channel delivers.
   */
  type: "webhook" | "slack" | "discord" | "ntfy" | "healthchecks" | "email" | "command";
  /**
   * webhook, slack, discord, ntfy (the topic's URL), healthchecks (the check's ping URL; `{task}` in it stands for the task's name, for one check per task with slug URLs: `https://hc-ping.com/${HC_PING_KEY}/{task}`).
   */
  url?: string;
  /**
   * webhook, ntfy: extra HTTP headers, e.g. `Authorization: "Bearer ${TOKEN}"`. Secret: never shown.
   */
  headers?: {
    [k: string]: string;
  };
  /**
   * ntfy: an access token (sent as `Authorization: Bearer`). Secret.
   */
  token?: string;
  /**
   * ntfy: the message priority for failures (1–5, default 4; other events get 3).
   */
  priority?: number;
  /**
   * email: the SMTP server as `smtp://host[:port]` (STARTTLS when the server offers it, and required when a password goes to a server beyond this machine; port 587 by default) or `smtps://host[:port]` (TLS from the start; port 465).
   */
  smtp?: string;
  /**
   * email: the SMTP login.
   */
  user?: string;
  /**
   * email: the SMTP password. Secret: use `${VAR}`.
   */
  password?: string;
  /**
   * email: the sender address.
   */
  from?: string;
  /**
   * email: the recipients.
   *
   * @minItems 1
   */
  to?: [string, ...string[]];
  /**
   * command: the program and its arguments, as a list (no shell), or a line run by /bin/sh. It gets CLOUDSYNC_EVENT, CLOUDSYNC_TASK, CLOUDSYNC_RUN_ID, CLOUDSYNC_STATE, CLOUDSYNC_ERROR and CLOUDSYNC_MESSAGE, and no secret; exit code 0 means delivered.
   */
  command?: string | [string, ...string[]];
  /**
   * What the channel is told of. Default: failure, overdue, recovered, check_failed, config_rejected, held (a run stopped at max_delete). healthchecks channels always get start, success and failure (a held run as a failure), and take no `events`; fleet_stale (another host of the fleet fell silent) and fleet_failure (a run failed on another host) only when named here.
   */
  events?: (
    | "start"
    | "success"
    | "failure"
    | "recovered"
    | "overdue"
    | "check_failed"
    | "config_rejected"
    | "held"
    | "fleet_stale"
    | "fleet_failure"
  )[];
}
/**
 * One scheduled transfer between a local directory and a remote.
 */
export interface Task {
  /**
   * What this task is for, shown in `status`.
   */
  description?: string;
  /**
   * PUSH sends `path` to the remote; PULL fetches the remote into `path`. Be careful with PULL into a directory that holds data: files with the same names are overwritten.
   */
  direction: "push" | "pull" | "PUSH" | "PULL";
  /**
   * COPY copies every source file to the destination, overwriting files of the same name, and deletes nothing. MOVE copies, then deletes the transferred files from the source. SYNC makes the destination identical to the source: files that exist only at the destination are DELETED there. A wrong direction with SYNC deletes your data; try `cloudsync run TASK --dry-run` first.
   */
  transfer_mode: "copy" | "move" | "sync" | "COPY" | "MOVE" | "SYNC";
  /**
   * SYNC and MOVE refuse to run when the source holds no file the task would transfer (an empty or missing directory, an unmounted disk, a wrong folder): a sync from it would delete everything at the destination. true lets such a run go ahead. Default: false.
   */
  allow_empty_source?: boolean;
  /**
   * The most files a SYNC may delete at the destination in one run: a number (`100`) or a share of the files there (`"20%"`). A run that would delete more stops there, HELD (deleting no more than that), until `cloudsync approve TASK` lets its next run go beyond the limit once. Default: no limit.
   */
  max_delete?: number | string;
  versions?: Versions;
  /**
   * The local directory: the source of a PUSH, the destination of a PULL. An absolute path.
   */
  path: string;
  /**
   * The name of an entry under `credentials`.
   */
  credential?: string;
  /**
   * The bucket (or container) to use. Required for bucket-based backends (s3, b2, azureblob, google cloud storage, swift); an error for the others. `cloudsync buckets list CREDENTIAL` shows the choices.
   */
  bucket?: string;
  /**
   * The directory to transfer to or from: inside the bucket for bucket-based backends, otherwise on the remote, where `/srv/www` is absolute and `backups` is relative to the remote's top (for sftp, the login directory). For the `local` backend it must be absolute. Default: the top of the bucket or remote.
   */
  folder?: string;
  /**
   * When the task runs: `hourly`, `daily`, `weekly` or `monthly`; a cron expression of 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first; or an object {minute, hour, dom, month, dow} as TrueNAS writes it (missing fields are `*`, except minute, which is 0). Read in `settings.timezone`. Without a schedule the task runs only when asked (`cloudsync run TASK`).
   */
  schedule?: string | ScheduleObject;
  /**
   * false keeps the task applied but never starts it on schedule; `cloudsync run TASK` still can. Default: true.
   */
  enabled?: boolean;
  /**
   * PUSH only, not with MOVE: take a read-only snapshot of `path` (btrfs subvolume or ZFS dataset), transfer from it so the copy is consistent, and remove it afterwards. Default: false.
   */
  snapshot?: boolean;
  /**
   * Also create empty source directories at the destination. Default: false.
   */
  create_empty_src_dirs?: boolean;
  /**
   * Follow symbolic links and transfer what they point to (rclone --copy-links). Default: false, links are skipped.
   */
  follow_symlinks?: boolean;
  /**
   * List the remote with fewer, larger requests (rclone --fast-list): fewer transactions on bucket-based backends, more memory. Default: false.
   */
  fast_list?: boolean;
  /**
   * How many files are transferred at once: a number, or `low` (4), `medium` (8) or `high` (16), to suit your bandwidth and the destination. Default: 4.
   */
  transfers?: number | ("low" | "medium" | "high" | "LOW" | "MEDIUM" | "HIGH");
  /**
   * Bandwidth limit in rclone's --bwlimit form: one rate (`10M`, `512k`, `off`; units b, k (the default), M, G, T, P; `UP:DOWN` for separate limits) or a timetable `08:00,512k 12:00,10M 23:00,off` (weekday forms `Mon-08:00,512k` too), or a list of {time: "08:00", bandwidth: "512k"}. Times must be strictly ascending.
   */
  bwlimit?: string | BwlimitEntry[];
  /**
   * rclone filter patterns of what not to transfer, e.g. `*.tmp`, `/cache/` (a directory at the top), `photos/` (any directory named photos). Applied before `include`. See https://rclone.org/filtering/.
   */
  exclude?: string[];
  /**
   * rclone filter patterns: when given, only what they match is transferred (after `exclude` has removed its matches).
   */
  include?: string[];
  /**
   * A script run before the transfer; if it fails, the run fails and nothing is transferred. A `#!` first line picks the interpreter, otherwise /bin/sh. It gets CLOUDSYNC_TASK, CLOUDSYNC_DIRECTION, CLOUDSYNC_TRANSFER_MODE, CLOUDSYNC_PATH and CLOUDSYNC_DRY_RUN, and no secret. `${…}` is not interpolated here: it belongs to the shell.
   */
  pre_script?: string;
  /**
   * A script run after a successful transfer only. Same environment and interpreter rules as `pre_script`.
   */
  post_script?: string;
  encryption?: Encryption;
  /**
   * Where the task's source goes, by name (a push only): each destination takes `credential`, `bucket`, `folder` and `encryption` as a task does, and may set its own `transfer_mode`, `bwlimit`, `transfers`, `rclone_args`, `max_delete`, `versions` and `check`. One run takes one snapshot and runs one pre_script and one post_script for all of them. Instead of the task's own `credential`.
   */
  destinations?: {
    [k: string]: Destination;
  };
  /**
   * How many destinations a run writes to at once. Default: 1 (one after another).
   */
  parallel?: number;
  /**
   * Extra rclone flags, passed as given, one argument per item (no shell parsing), e.g. ["--checksum"].
   */
  rclone_args?: string[];
  /**
   * How many more times a run is tried after a failure that may pass (rclone's exit code 5: a network error, a rate limit), waiting retry_delay before the first retry and twice as long before each next one. Other failures are not retried. Default: 2.
   */
  retries?: number;
  /**
   * How long to wait before the first retry, e.g. 30s, 5m; doubled for each next one. Default: 30s.
   */
  retry_delay?: string;
  /**
   * Stop a run that takes longer than this (e.g. 6h, 90m): rclone is stopped and the run ends FAILED. Default: no limit.
   */
  timeout?: string;
  /**
   * When the service starts and this task's last scheduled time passed while it was down (since its last run), run it once right away. Default: false: missed times are skipped.
   */
  catchup?: boolean;
  /**
   * Notification channels for this task, replacing `settings.notify`; `[]` for none.
   */
  notify?: Name[];
  /**
   * The longest time since the last successful run before the task counts as overdue (an `overdue` notification, once per episode), e.g. `26h` for a daily task, `8d` for a weekly one. Checked by `cloudsync watch`.
   */
  max_age?: string;
  check?: Check;
}
/**
 * A schedule as TrueNAS writes it. Missing fields are `*`, except minute, which is 0.
 */
export interface ScheduleObject {
  /**
   * 0-59, or a cron field such as `* /15`. Default: 0.
   */
  minute?: string | number;
  /**
   * 0-23, or a cron field. Default: `*`.
   */
  hour?: string | number;
  /**
   * Day of the month, 1-31, or a cron field. Default: `*`.
   */
  dom?: string | number;
  /**
   * 1-12 or jan-dec, or a cron field. Default: `*`.
   */
  month?: string | number;
  /**
   * Day of the week, 0-7 (0 and 7 are Sunday) or sun-sat, or a cron field. Default: `*`.
   */
  dow?: string | number;
}
/**
 * From `time` on (HH:MM, 24-hour clock), limit the bandwidth to `bandwidth` (e.g. `512k`, `10M`, or `off`).
 */
export interface BwlimitEntry {
  /**
   * HH:MM, or a weekday form like Mon-08:00.
   */
  time: string;
  /**
   * A rate such as 512k or 10M, or `off`.
   */
  bandwidth: string;
}
/**
 * Encrypt on the remote with rclone crypt: a PUSH encrypts before upload, a PULL decrypts after download. Reading the data back needs the same password and salt. Back them up somewhere safe: LOSING THE PASSWORD OR SALT LOSES THE DATA.
 */
export interface Encryption {
  /**
   * The encryption password. Use `${VAR}` or `${file:/path}` to keep it out of the file. Losing it loses the data.
   */
  password: string;
  /**
   * Optional second password (rclone's password2), a long random string. Losing it loses the data.
   */
  salt?: string;
  /**
   * true encrypts file and directory names too (rclone's `standard` mode): names are hidden but limited to about 143 characters, and the directory structure stays visible. false (the default) leaves names readable, allowing names up to about 246 characters.
   */
  filename_encryption?: boolean;
}
/**
 * One destination of a task's source: a credential and the place on it, with the task's settings it changes for itself.
 */
export interface Destination {
  /**
   * The name of an entry under `credentials`.
   */
  credential: string;
  /**
   * The bucket (or container) to use. Required for bucket-based backends (s3, b2, azureblob, google cloud storage, swift); an error for the others. `cloudsync buckets list CREDENTIAL` shows the choices.
   */
  bucket?: string;
  /**
   * The directory to transfer to or from: inside the bucket for bucket-based backends, otherwise on the remote, where `/srv/www` is absolute and `backups` is relative to the remote's top (for sftp, the login directory). For the `local` backend it must be absolute. Default: the top of the bucket or remote.
   */
  folder?: string;
  encryption?: Encryption;
  /**
   * COPY copies every source file to the destination, overwriting files of the same name, and deletes nothing. MOVE copies, then deletes the transferred files from the source. SYNC makes the destination identical to the source: files that exist only at the destination are DELETED there. A wrong direction with SYNC deletes your data; try `cloudsync run TASK --dry-run` first.
   */
  transfer_mode?: "copy" | "move" | "sync" | "COPY" | "MOVE" | "SYNC";
  /**
   * Bandwidth limit in rclone's --bwlimit form: one rate (`10M`, `512k`, `off`; units b, k (the default), M, G, T, P; `UP:DOWN` for separate limits) or a timetable `08:00,512k 12:00,10M 23:00,off` (weekday forms `Mon-08:00,512k` too), or a list of {time: "08:00", bandwidth: "512k"}. Times must be strictly ascending.
   */
  bwlimit?: string | BwlimitEntry[];
  /**
   * How many files are transferred at once: a number, or `low` (4), `medium` (8) or `high` (16), to suit your bandwidth and the destination. Default: 4.
   */
  transfers?: number | ("low" | "medium" | "high" | "LOW" | "MEDIUM" | "HIGH");
  /**
   * Extra rclone flags, passed as given, one argument per item (no shell parsing), e.g. ["--checksum"].
   */
  rclone_args?: string[];
  /**
   * The most files a SYNC may delete at the destination in one run: a number (`100`) or a share of the files there (`"20%"`). A run that would delete more stops there, HELD (deleting no more than that), until `cloudsync approve TASK` lets its next run go beyond the limit once. Default: no limit.
   */
  max_delete?: number | string;
  versions?: Versions;
  check?: Check;
}
