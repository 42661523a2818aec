import type { Diagnostic } from "../model/diagnostics.js";
import { isSensitiveOption, type BackendCatalog } from "../model/backends.js";
import { parseBwlimit, type BwlimitEntryInput } from "./bwlimit.js";
import { messages } from "./messages.js";
import {
  DEFAULT_RETRIES,
  DEFAULT_RETRY_DELAY,
  DEFAULT_SETTINGS,
  DEFAULT_TRANSFERS,
  TRANSFERS_ALIASES,
  type CredentialSpec,
  type DesiredConfig,
  type Direction,
  type EncryptionSpec,
  type Settings,
  type TaskSpec,
  type TransferMode,
} from "../model/config.js";
import { parseSchedule, type ScheduleObject } from "./schedule.js";
import { pointerOf, type Locator } from "./pointer.js";
import { isLoopback, listenAddress } from "../model/address.js";
import { globProblem } from "./glob.js";
import { cleanPath, destinationOf, hasControlCharacter, isInside, localWrites, overlappingDestinations, ownedFlag, protectedPlace, type Place } from "./safety.js";
import { closest } from "./suggest.js";
import { checkChannelNames, normalizeChannels } from "./notifications.js";
import type * as File from "./generated/config-types.js";

type Fields = Record<string, unknown>;
/** A mapping as read from the file: the schema's keys, values not yet trusted. */
type Unchecked<T> = { [K in keyof T]?: unknown };

// The model has exactly the file's task keys; this fails to compile when they drift apart.
type SameKeys<A, B> = [Exclude<keyof A, keyof B> | Exclude<keyof B, keyof A>] extends [never] ? true : never;
const modelMatchesSchema: SameKeys<TaskSpec, File.Task> & SameKeys<Settings, NonNullable<File.Settings>> = true;
void modelMatchesSchema;

function fields<T = Fields>(value: unknown): Unchecked<T> & Fields {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Fields) : {};
}
const text = (value: unknown, fallback: string): string => (typeof value === "string" ? value : fallback);
const flag = (value: unknown, fallback: boolean): boolean => (typeof value === "boolean" ? value : fallback);
const texts = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : []);
const whole = (value: unknown, fallback: number): number => (Number.isInteger(value) ? (value as number) : fallback);

/**
 * Inside a bucket a folder is relative whatever its slashes. Elsewhere a leading
 * slash matters (sftp `/srv` is absolute, `srv` is in the login directory), so it stays.
 */
function normalizeFolder(folder: string, bucketBased: boolean): string {
  const collapsed = folder.replace(/\/{2,}/g, "/");
  if (bucketBased) return collapsed.replace(/^\/+|\/+$/g, "");
  return collapsed.length > 1 ? collapsed.replace(/\/+$/, "") : collapsed;
}

const ALWAYS_ZONES = new Set(["UTC", "GMT", "Etc/UTC", "Etc/GMT"]);

function isTimeZone(zone: string): boolean {
  // The list is quick to get; creating a formatter to try a zone loads ICU's zone data (~25 ms).
  if (ALWAYS_ZONES.has(zone) || Intl.supportedValuesOf("timeZone").includes(zone)) return true;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Applies the rules the schema cannot express and builds the desired model.
 * Runs on data that may have failed the schema: every access is guarded, and
 * a field of the wrong type (already reported) falls back to its default.
 */
export function normalize(data: unknown, map: Locator, referenced: ReadonlyMap<string, unknown>, backends: BackendCatalog): { config: DesiredConfig; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const error = (message: string, path: (string | number)[], target: "key" | "value" = "value", offset?: number) =>
    diagnostics.push(map.diagnostic("error", message, pointerOf(path), target, offset));
  const warn = (message: string, path: (string | number)[], target: "key" | "value" = "value") => diagnostics.push(map.diagnostic("warning", message, pointerOf(path), target));
  const warnIfLiteral = (path: (string | number)[], label: string, value: unknown) => {
    if (typeof value === "string" && value !== "" && !referenced.has(pointerOf(path))) {
      diagnostics.push(map.diagnostic("warning", messages.literalSecret(label), pointerOf(path)));
    }
  };

  const root = fields<File.CloudsyncConfiguration>(data);
  const notifications = normalizeChannels(fields(root.notifications), { error, warn });
  for (const [name, channel] of Object.entries(notifications)) {
    for (const key of ["password", "token"] as const) if (channel[key] !== null) warnIfLiteral(["notifications", name, key], key, channel[key]);
  }
  const settings = normalizeSettings(fields<NonNullable<File.Settings>>(root.settings), error);
  warnIfLiteral(["settings", "web", "token"], "settings.web.token", settings.web.token);
  settings.notify = checkChannelNames(fields<NonNullable<File.Settings>>(root.settings).notify, ["settings", "notify"], notifications, error);

  const credentials: Record<string, CredentialSpec> = {};
  for (const [name, raw] of Object.entries(fields(root.credentials))) {
    const entry = fields(raw);
    const backend = typeof entry.type === "string" ? backends.find(entry.type) : undefined;
    const options: CredentialSpec["options"] = {};
    for (const [option, value] of Object.entries(entry)) {
      if (option === "type" || value === null || typeof value === "object") continue;
      if (backend && isSensitiveOption(backend.name, option, value, backends)) warnIfLiteral(["credentials", name, option], option, value);
      options[option] = value as string | number | boolean;
    }
    credentials[name] = { type: backend?.name ?? text(entry.type, ""), options };
  }

  const tasks: Record<string, TaskSpec> = {};
  for (const [name, raw] of Object.entries(fields(root.tasks))) {
    const at = (...rest: (string | number)[]) => ["tasks", name, ...rest];
    const task = fields<File.Task>(raw);
    const direction = text(task.direction, "push").toLowerCase() as Direction;
    const transferMode = text(task.transfer_mode, "copy").toLowerCase() as TransferMode;

    if (typeof task.description === "string" && hasControlCharacter(task.description)) error(messages.controlCharacter("description"), at("description"));
    let path = text(task.path, "/");
    if (typeof task.path === "string") {
      if (hasControlCharacter(task.path)) error(messages.controlCharacter("path"), at("path"));
      else if (!task.path.startsWith("/")) error(messages.pathNotAbsolute("path", task.path), at("path"));
      else {
        path = cleanPath(task.path);
        if (settings.allowed_roots.length > 0 && !settings.allowed_roots.some((r) => isInside(path, r))) {
          error(messages.pathOutsideRoots(path, settings.allowed_roots), at("path"));
        }
      }
    }

    const credentialName = text(task.credential, "");
    const credential = credentials[credentialName];
    if (typeof task.credential === "string" && !credential) {
      const known = Object.keys(credentials);
      error(messages.unknownCredential(credentialName, closest(credentialName, known), known), at("credential"));
    }
    const bucket = typeof task.bucket === "string" ? task.bucket : null;
    const backend = credential ? backends.find(credential.type) : undefined;
    if (backend?.bucketBased && bucket === null) error(messages.bucketRequired(credentialName, backend.name), at(), "key");
    if (backend && !backend.bucketBased && bucket !== null) error(messages.bucketNotApplicable(credentialName, backend.name), at("bucket"), "key");

    const folder = normalizeFolder(text(task.folder, ""), backend?.bucketBased ?? false);
    const local = backend?.name === "local";
    if (typeof task.folder === "string" && hasControlCharacter(task.folder)) error(messages.controlCharacter("folder"), at("folder"));
    else if (local) {
      if (task.folder === undefined) error(messages.localFolderNotAbsolute(credentialName), at(), "key");
      else if (typeof task.folder === "string" && !task.folder.startsWith("/")) error(messages.localFolderNotAbsolute(credentialName), at("folder"));
      else if (typeof task.path === "string" && task.path.startsWith("/")) {
        const cleanFolder = cleanPath(folder);
        const how = cleanFolder === path ? "equal" : isInside(cleanFolder, path) ? "inside" : isInside(path, cleanFolder) ? "contains" : undefined;
        if (how) error(messages.folderOverlapsPath(task.folder as string, path, how), at("folder"));
      }
    }
    if (typeof task.bucket === "string" && hasControlCharacter(task.bucket)) error(messages.controlCharacter("bucket"), at("bucket"));
    if (backend?.readOnly && direction === "push") error(messages.readOnlyRemote(credentialName, backend.name), at("direction"));

    // Where the task writes, and for a move where it deletes: never the root or the system's directories.
    for (const { field, place, action } of localWrites({ direction, transfer_mode: transferMode, path, folder: cleanPath(folder) }, local)) {
      const what = place.startsWith("/") ? protectedPlace(place) : undefined;
      if (what && typeof task[field] === "string") error(messages.protectedPlace(field, place, what, action), at(field));
    }

    let schedule: string | null = null;
    if (typeof task.schedule === "string" || (task.schedule !== null && typeof task.schedule === "object" && !Array.isArray(task.schedule))) {
      const result = parseSchedule(task.schedule as string | ScheduleObject);
      if (result.ok) schedule = result.cron;
      else for (const problem of result.problems) error(problem.message, problem.field ? at("schedule", problem.field) : at("schedule"));
    }

    let check: TaskSpec["check"] = null;
    if (task.check !== null && typeof task.check === "object" && !Array.isArray(task.check)) {
      const raw = fields<NonNullable<File.Check>>(task.check);
      if (typeof raw.schedule === "string" || (raw.schedule !== null && typeof raw.schedule === "object" && !Array.isArray(raw.schedule))) {
        const result = parseSchedule(raw.schedule as string | ScheduleObject);
        if (result.ok) check = { schedule: result.cron, download: flag(raw.download, false) };
        else for (const problem of result.problems) error(problem.message, problem.field ? at("check", "schedule", problem.field) : at("check", "schedule"));
      }
    }

    let bwlimit: string | null = null;
    if (typeof task.bwlimit === "string" || Array.isArray(task.bwlimit)) {
      const entries = Array.isArray(task.bwlimit) ? task.bwlimit.map((e) => fields(e) as unknown as BwlimitEntryInput) : task.bwlimit;
      const complete = typeof entries === "string" || entries.every((e) => typeof e.time === "string" && typeof e.bandwidth === "string");
      if (complete) {
        const result = parseBwlimit(entries);
        if (result.ok) bwlimit = result.value === "off" ? null : result.value;
        else {
          for (const problem of result.problems) {
            if (problem.entry !== undefined) error(problem.message, at("bwlimit", problem.entry, problem.field ?? "time"));
            else error(problem.message, at("bwlimit"), "value", problem.offset);
          }
        }
      }
    }

    const exclude = patterns(task.exclude, "exclude", at, error, warn);
    const include = patterns(task.include, "include", at, error, warn);
    const rcloneArgs = texts(task.rclone_args);
    rcloneArgs.forEach((arg, index) => {
      const owned = ownedFlag(arg);
      if (owned) error(messages.ownedFlag(owned.flag, owned.instead), at("rclone_args", index));
      // rclone keeps a sync from deleting after it could not read the source; this flag takes that away.
      else if (transferMode === "sync" && /^--ignore-errors(=true)?$/.test(arg)) warn(messages.syncIgnoringErrors(), at("rclone_args", index));
    });

    let maxDelete: number | string | null = null;
    if (Number.isInteger(task.max_delete) || (typeof task.max_delete === "string" && /^\d+(\.\d+)?%$/.test(task.max_delete))) {
      maxDelete = task.max_delete as number | string;
      if (typeof maxDelete === "string" && Number.parseFloat(maxDelete) > 100) error(messages.maxDeleteShare(maxDelete), at("max_delete"));
      if (transferMode !== "sync") warn(messages.maxDeleteWithoutSync(transferMode), at("max_delete"), "key");
    }

    const snapshot = flag(task.snapshot, false);
    if (snapshot && direction === "pull") error(messages.snapshotNeedsPush(), at("snapshot"), "key");
    if (snapshot && transferMode === "move") error(messages.snapshotWithMove(), at("snapshot"), "key");

    const transfers =
      typeof task.transfers === "string" ? (TRANSFERS_ALIASES[task.transfers.toLowerCase()] ?? DEFAULT_TRANSFERS) : whole(task.transfers, DEFAULT_TRANSFERS);

    let encryption: EncryptionSpec | null = null;
    if (task.encryption !== undefined && task.encryption !== null) {
      const raw = fields<File.Encryption>(task.encryption);
      warnIfLiteral(at("encryption", "password"), "encryption.password", raw.password);
      warnIfLiteral(at("encryption", "salt"), "encryption.salt", raw.salt);
      encryption = {
        password: text(raw.password, ""),
        salt: typeof raw.salt === "string" ? raw.salt : null,
        filename_encryption: flag(raw.filename_encryption, false),
      };
    }

    tasks[name] = {
      description: text(task.description, ""),
      direction,
      transfer_mode: transferMode,
      allow_empty_source: flag(task.allow_empty_source, false),
      max_delete: maxDelete,
      path,
      credential: credentialName,
      bucket,
      folder,
      schedule,
      enabled: flag(task.enabled, true),
      snapshot,
      create_empty_src_dirs: flag(task.create_empty_src_dirs, false),
      follow_symlinks: flag(task.follow_symlinks, false),
      fast_list: flag(task.fast_list, false),
      transfers,
      bwlimit,
      exclude,
      include,
      pre_script: text(task.pre_script, ""),
      post_script: text(task.post_script, ""),
      encryption,
      rclone_args: rcloneArgs,
      retries: whole(task.retries, DEFAULT_RETRIES),
      retry_delay: text(task.retry_delay, DEFAULT_RETRY_DELAY),
      timeout: typeof task.timeout === "string" ? task.timeout : null,
      catchup: flag(task.catchup, false),
      notify: Array.isArray(task.notify) ? checkChannelNames(task.notify, at("notify"), notifications, error) : null,
      max_age: typeof task.max_age === "string" ? task.max_age : null,
      check,
    };
  }

  const places: Array<[string, Place]> = Object.entries(tasks).map(([name, task]) => [name, destinationOf(task, credentials[task.credential]?.type === "local")]);
  for (const { task, other, nested } of overlappingDestinations(places)) {
    diagnostics.push(map.diagnostic("warning", messages.overlappingDestination(task, other, nested), pointerOf(["tasks", task]), "key"));
  }

  return { config: { settings, credentials, notifications, tasks }, diagnostics };
}

type Report = (message: string, path: (string | number)[], target?: "key" | "value") => void;

/** rclone filter patterns, each checked as rclone will read it. */
function patterns(value: unknown, field: "exclude" | "include", at: (...rest: (string | number)[]) => (string | number)[], error: Report, warn: Report): string[] {
  if (!Array.isArray(value)) return [];
  const kept: string[] = [];
  value.forEach((pattern, index) => {
    if (typeof pattern !== "string") return;
    kept.push(pattern);
    const label = () => `${field}[${index}]`;
    if (hasControlCharacter(pattern)) error(messages.controlCharacter(label()), at(field, index));
    else {
      const problem = globProblem(pattern);
      if (problem) error(messages.badPattern(label(), pattern, problem), at(field, index));
      else if (pattern !== pattern.trim()) warn(messages.patternSpaces(label(), pattern), at(field, index));
    }
  });
  return kept;
}

function normalizeSettings(raw: Unchecked<NonNullable<File.Settings>>, error: (message: string, path: (string | number)[]) => void): Settings {
  const roots: string[] = [];
  texts(raw.allowed_roots).forEach((root, index) => {
    if (root.startsWith("/")) roots.push(cleanPath(root));
    else error(messages.pathNotAbsolute(`allowed_roots[${index}]`, root), ["settings", "allowed_roots", index]);
  });
  let timezone: string | null = null;
  if (typeof raw.timezone === "string") {
    if (isTimeZone(raw.timezone)) timezone = raw.timezone;
    else error(messages.badTimezone(raw.timezone, closest(raw.timezone, Intl.supportedValuesOf("timeZone"))), ["settings", "timezone"]);
  }
  const metrics = fields<NonNullable<File.Metrics>>(raw.metrics);
  const listen = typeof metrics.listen === "string" ? metrics.listen : null;
  if (listen !== null && listenAddress(listen) === null) error(messages.badListen(listen), ["settings", "metrics", "listen"]);
  const textfile = typeof metrics.textfile === "string" ? metrics.textfile : null;
  if (textfile !== null && !textfile.startsWith("/")) error(messages.pathNotAbsolute("textfile", textfile), ["settings", "metrics", "textfile"]);
  // What reaches a systemd unit or a manifest besides the tasks' fields.
  for (const key of ["state_dir", "rclone"] as const) {
    if (typeof raw[key] === "string" && hasControlCharacter(raw[key])) error(messages.controlCharacter(key), ["settings", key]);
  }
  if (textfile !== null && hasControlCharacter(textfile)) error(messages.controlCharacter("textfile"), ["settings", "metrics", "textfile"]);
  const web = fields<NonNullable<File.Web>>(raw.web);
  const webListen = typeof web.listen === "string" ? web.listen : null;
  const token = typeof web.token === "string" ? web.token : null;
  if (webListen !== null) {
    const where = listenAddress(webListen);
    if (where === null) error(messages.badListen(webListen), ["settings", "web", "listen"]);
    else if (token === null && !isLoopback(where.host)) error(messages.webNeedsToken(webListen), ["settings", "web", "listen"]);
  }
  return {
    state_dir: typeof raw.state_dir === "string" ? raw.state_dir : DEFAULT_SETTINGS.state_dir,
    timezone,
    max_parallel_runs: whole(raw.max_parallel_runs, DEFAULT_SETTINGS.max_parallel_runs),
    log_retention: whole(raw.log_retention, DEFAULT_SETTINGS.log_retention),
    allowed_roots: roots,
    rclone: text(raw.rclone, DEFAULT_SETTINGS.rclone),
    notify: [],
    metrics: { listen, textfile },
    web: { listen: webListen, token, read_only: flag(web.read_only, false) },
  };
}
