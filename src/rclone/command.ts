import { BUNDLED_BACKENDS, type BackendCatalog } from "../model/backends.js";
import type { CredentialSpec, TaskSpec } from "../model/config.js";
import { obscure } from "../secrets/obscure.js";
import { credentialSecrets } from "../secrets/secrets.js";

// The names the task's remotes get inside rclone, through RCLONE_CONFIG_<NAME>_<KEY>.
const REMOTE = "cloudsync";
const CRYPT = "cloudsynccrypt";

export interface Invocation {
  args: string[];
  /** Variables to add to rclone's environment: the remotes' configuration. */
  env: Record<string, string>;
  /** Every secret the invocation carries, in every form, to scrub from output. */
  secrets: string[];
}

export interface InvocationOptions {
  dryRun: boolean;
  /** A --filter-from file, when the task has filters. */
  filterFile: string | null;
  /** Read from here instead of the task's path (a snapshot). */
  localSource: string | null;
  /** rclone's --max-delete: at most this many deletions, then rclone stops (null: no limit). */
  maxDelete?: number | null;
  /** settings.timezone: rclone reads a bandwidth timetable's times in its own zone, which must be the schedules' (null: the system's). */
  timezone?: string | null;
  /** Where what the run replaces goes (rclone's --backup-dir): the task's versions folder for this run. */
  backupDir?: string | null;
}

const envName = (remote: string, key: string) => `RCLONE_CONFIG_${remote.toUpperCase()}_${key.toUpperCase()}`;

/** The remote side of a task in rclone's syntax, without encryption. */
export function remotePath(task: Pick<TaskSpec, "bucket" | "folder">, remote = REMOTE): string {
  if (task.bucket === null) return `${remote}:${task.folder}`;
  return `${remote}:${[task.bucket, task.folder].filter((p) => p !== "").join("/")}`;
}

/** Where a task's (or a browse's) files are on a credential: bucket, folder and the encryption over them. */
export type RemoteLocation = Pick<TaskSpec, "bucket" | "folder" | "encryption">;

/** The top of a credential, for commands that browse it. */
export const CREDENTIAL_TOP: RemoteLocation = { bucket: null, folder: "", encryption: null };

export interface RemoteConfig {
  /** Variables to add to rclone's environment: the remotes' configuration. */
  env: Record<string, string>;
  /** Every secret the configuration carries, in every form, to scrub from output. */
  secrets: string[];
  /** The location in rclone's syntax: `cloudsync:bucket/folder`, or `cloudsynccrypt:` when encrypted. */
  remote: string;
}

/**
 * The credential (and the location's encryption) as rclone remotes defined
 * only by environment variables, password options obscured as rclone expects
 * (the options of the rclone in use: `backends`).
 */
export function remoteConfig(credential: CredentialSpec, location: RemoteLocation, backends: BackendCatalog = BUNDLED_BACKENDS, hide: (plaintext: string) => string = obscure): RemoteConfig {
  const backend = backends.find(credential.type);
  const env: Record<string, string> = { RCLONE_CONFIG: "/dev/null", [envName(REMOTE, "type")]: credential.type };
  const secrets = credentialSecrets(credential, backends);
  for (const [option, value] of Object.entries(credential.options)) {
    const text = String(value);
    const shown = backend?.options[option]?.obscure ? hide(text) : text;
    env[envName(REMOTE, option)] = shown;
    // A password option is secret in both forms, whatever its name.
    if (shown !== text) secrets.push(text, shown);
  }

  let remote = remotePath(location);
  if (location.encryption) {
    const password = hide(location.encryption.password);
    Object.assign(env, {
      [envName(CRYPT, "type")]: "crypt",
      [envName(CRYPT, "remote")]: remote,
      [envName(CRYPT, "password")]: password,
      [envName(CRYPT, "filename_encryption")]: location.encryption.filename_encryption ? "standard" : "off",
      [envName(CRYPT, "directory_name_encryption")]: String(location.encryption.filename_encryption),
    });
    secrets.push(location.encryption.password, password);
    if (location.encryption.salt !== null) {
      const salt = hide(location.encryption.salt);
      env[envName(CRYPT, "password2")] = salt;
      secrets.push(location.encryption.salt, salt);
    }
    remote = `${CRYPT}:`;
  }
  return { env, secrets: [...new Set(secrets)].filter((s) => s.length > 0), remote };
}

/** A path relative to a remote location (`cloudsync:bucket` + `a/b` → `cloudsync:bucket/a/b`). */
export function below(remote: string, path: string): string {
  const relative = path.replace(/^\/+|\/+$/g, "");
  if (relative === "") return remote;
  return remote.endsWith(":") ? `${remote}${relative}` : `${remote}/${relative}`;
}

/** Where a task reads and writes, in rclone's syntax: the local side (or its snapshot) and the remote (through crypt). */
export function endpoints(task: Pick<TaskSpec, "direction" | "path">, remote: string, localSource: string | null = null): { source: string; destination: string } {
  const local = localSource ?? task.path;
  return task.direction === "push" ? { source: local, destination: remote } : { source: remote, destination: local };
}

/** rclone 1.60 reports names it cannot decrypt (a wrong password) only at debug level. */
export const verbosityFor = (task: Pick<TaskSpec, "encryption">) => (task.encryption ? "-vv" : "-v");

/**
 * The rclone command line and environment that carry out a task. No config
 * file: see remoteConfig. The task's own rclone_args come before cloudsync's
 * flags, so that where both name a flag, cloudsync's (the last) wins: nothing
 * in rclone_args can turn a dry run into a real one.
 */
export function buildInvocation(task: TaskSpec, remotes: RemoteConfig, options: InvocationOptions): Invocation {
  const { env, secrets, remote } = remotes;
  const { source, destination } = endpoints(task, remote, options.localSource);
  const args = [task.transfer_mode, source, destination, ...task.rclone_args];
  args.push("--use-json-log", "--stats", "1s", "--stats-log-level", "NOTICE", verbosityFor(task));
  // One attempt per rclone run: cloudsync retries whole runs itself, with backoff and a record of each attempt.
  args.push("--retries", "1", "--transfers", String(task.transfers));
  const bandwidth = bandwidthOf(task, options.timezone);
  args.push(...bandwidth.args);
  if (options.filterFile !== null) args.push("--filter-from", options.filterFile);
  if (task.create_empty_src_dirs) args.push("--create-empty-src-dirs");
  if (task.follow_symlinks) args.push("--copy-links");
  if (task.fast_list) args.push("--fast-list");
  if (options.maxDelete != null) args.push("--max-delete", String(options.maxDelete));
  if (options.backupDir != null) args.push("--backup-dir", options.backupDir);
  args.push(`--dry-run=${options.dryRun}`);
  return { args, env: { ...env, ...bandwidth.env }, secrets };
}

/** The task's bandwidth limit for any rclone that moves its data (a transfer, a check that downloads). */
export function bandwidthOf(task: Pick<TaskSpec, "bwlimit">, timezone: string | null | undefined): { args: string[]; env: Record<string, string> } {
  if (task.bwlimit === null) return { args: [], env: {} };
  // A timetable ("08:00,512k 18:00,off") is read in rclone's local zone: in a container or a CronJob that is UTC.
  return { args: ["--bwlimit", task.bwlimit], env: timezone ? { TZ: timezone } : {} };
}
