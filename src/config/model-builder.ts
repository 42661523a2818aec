// The desired model from the file's data, whatever it holds. It reports
// nothing: a field of the wrong type (which the schema reports) reads as its
// default, and a value that cannot be read (a schedule, a bandwidth
// timetable) is left out of the model and kept, with its problems, in the
// readings, for the rules (./rules) to report without reading it again.
import type { BackendCatalog } from "../model/backends.js";
import {
  DEFAULT_RETRIES,
  DEFAULT_RETRY_DELAY,
  DEFAULT_SETTINGS,
  DEFAULT_STALE_AFTER,
  DEFAULT_TRANSFERS,
  DEFAULT_EVENTS,
  HEALTHCHECKS_EVENTS,
  NOTIFY_EVENTS,
  TRANSFERS_ALIASES,
  DESTINATION_OVERRIDES,
  type ChannelSpec,
  type ChannelType,
  type CredentialSpec,
  type DesiredConfig,
  type DestinationOverrides,
  type DestinationSpec,
  type Direction,
  type EncryptionSpec,
  type FleetSettings,
  type NotifyEvent,
  type Settings,
  type TaskSpec,
  type TransferMode,
  type VersionsSpec,
} from "../model/config.js";
import { parseBwlimit, type BwlimitEntryInput, type BwlimitResult } from "./bwlimit.js";
import type * as File from "./generated/config-types.js";
import { isChannelType } from "./notifications.js";
import { cleanPath, hasControlCharacter } from "./safety.js";
import { parseSchedule, type ScheduleObject, type ScheduleResult } from "./schedule.js";
import { fields, flag, isMapping, text, textOrNull, texts, whole } from "./unchecked.js";

// The model has exactly the file's task keys; this fails to compile when they drift apart.
type SameKeys<A, B> = [Exclude<keyof A, keyof B> | Exclude<keyof B, keyof A>] extends [never] ? true : never;
const modelMatchesSchema: SameKeys<TaskSpec, File.Task> & SameKeys<Settings, NonNullable<File.Settings>> = true;
void modelMatchesSchema;

/** What reading a destination's own values found, problems included. */
export interface DestinationReadings {
  checkSchedule: ScheduleResult | null;
  bwlimit: BwlimitResult | null;
}

/** What reading a task's values found, problems included. */
export interface TaskReadings extends DestinationReadings {
  schedule: ScheduleResult | null;
  destinations: Record<string, DestinationReadings>;
}

export interface Built {
  config: DesiredConfig;
  readings: Record<string, TaskReadings>;
}

const ALWAYS_ZONES = new Set(["UTC", "GMT", "Etc/UTC", "Etc/GMT"]);

export function isTimeZone(zone: string): boolean {
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
 * Inside a bucket a folder is relative whatever its slashes. Elsewhere a leading
 * slash matters (sftp `/srv` is absolute, `srv` is in the login directory), so it stays.
 */
function normalizeFolder(folder: string, bucketBased: boolean): string {
  const collapsed = folder.replace(/\/{2,}/g, "/");
  if (bucketBased) return collapsed.replace(/^\/+|\/+$/g, "");
  return collapsed.length > 1 ? collapsed.replace(/\/+$/, "") : collapsed;
}

/** A path as the model keeps it: clean when it is absolute and readable; as written otherwise (a rule says why). */
export function pathOf(written: unknown): string {
  if (typeof written !== "string") return "/";
  return !hasControlCharacter(written) && written.startsWith("/") ? cleanPath(written) : written;
}

/** A duration in rclone's grammar (the schema has checked its form). */
const DURATION = /^(\d+(\.\d+)?(ms|s|m|h|d|w))+$/;

/** `versions: {keep}` with a duration (the schema has checked its form), else none. */
function versionsOf(written: unknown): VersionsSpec | null {
  const keep = isMapping(written) ? written.keep : undefined;
  return typeof keep === "string" && DURATION.test(keep) ? { keep } : null;
}

const readSchedule = (value: unknown): ScheduleResult | null =>
  typeof value === "string" || isMapping(value) ? parseSchedule(value as string | ScheduleObject) : null;

function buildSettings(raw: ReturnType<typeof fields<NonNullable<File.Settings>>>): Settings {
  const metrics = fields<NonNullable<File.Metrics>>(raw.metrics);
  const web = fields<NonNullable<File.Web>>(raw.web);
  return {
    state_dir: typeof raw.state_dir === "string" ? raw.state_dir : DEFAULT_SETTINGS.state_dir,
    timezone: typeof raw.timezone === "string" && isTimeZone(raw.timezone) ? raw.timezone : null,
    max_parallel_runs: whole(raw.max_parallel_runs, DEFAULT_SETTINGS.max_parallel_runs),
    log_retention: whole(raw.log_retention, DEFAULT_SETTINGS.log_retention),
    allowed_roots: texts(raw.allowed_roots)
      .filter((root) => root.startsWith("/"))
      .map(cleanPath),
    rclone: text(raw.rclone, DEFAULT_SETTINGS.rclone),
    notify: texts(raw.notify),
    metrics: { listen: textOrNull(metrics.listen), textfile: textOrNull(metrics.textfile) },
    web: { listen: textOrNull(web.listen), token: textOrNull(web.token), read_only: flag(web.read_only, false) },
    ...(isMapping(raw.fleet) ? { fleet: fleetOf(fields<NonNullable<File.Fleet>>(raw.fleet)) } : {}),
  };
}

function fleetOf(raw: ReturnType<typeof fields<NonNullable<File.Fleet>>>): FleetSettings {
  const publish = fields<NonNullable<File.Fleet>["publish"]>(raw.publish);
  return {
    publish: { credential: text(publish.credential, ""), bucket: textOrNull(publish.bucket), folder: text(publish.folder, "") },
    key: text(raw.key, ""),
    host: textOrNull(raw.host),
    stale_after: typeof raw.stale_after === "string" && DURATION.test(raw.stale_after) ? raw.stale_after : DEFAULT_STALE_AFTER,
  };
}

function buildCredential(raw: unknown, backends: BackendCatalog): CredentialSpec {
  const entry = fields(raw);
  const backend = typeof entry.type === "string" ? backends.find(entry.type) : undefined;
  const options: CredentialSpec["options"] = {};
  for (const [option, value] of Object.entries(entry)) {
    if (option !== "type" && value !== null && typeof value !== "object") options[option] = value as string | number | boolean;
  }
  return { type: backend?.name ?? text(entry.type, ""), options };
}

/** The event names a channel hears, each once, in the order written. */
function eventsOf(type: ChannelType, written: unknown): NotifyEvent[] {
  if (type === "healthchecks") return [...HEALTHCHECKS_EVENTS];
  if (!Array.isArray(written)) return [...DEFAULT_EVENTS];
  return [...new Set(written.filter((event): event is NotifyEvent => typeof event === "string" && NOTIFY_EVENTS.includes(event as NotifyEvent)))];
}

function buildChannel(entry: Record<string, unknown> & { type: ChannelType }): ChannelSpec {
  const { type } = entry;
  const command = entry.command;
  return {
    type,
    events: eventsOf(type, entry.events),
    url: textOrNull(entry.url),
    headers: isMapping(entry.headers) ? (Object.fromEntries(Object.entries(entry.headers).filter(([, v]) => typeof v === "string")) as Record<string, string>) : {},
    token: textOrNull(entry.token),
    priority: Number.isInteger(entry.priority) ? (entry.priority as number) : null,
    smtp: textOrNull(entry.smtp),
    user: textOrNull(entry.user),
    password: textOrNull(entry.password),
    from: textOrNull(entry.from),
    to: texts(entry.to),
    command: typeof command === "string" ? { argv: [command], shell: true } : Array.isArray(command) ? { argv: texts(command), shell: false } : null,
  };
}

/** The channels under `notifications:` of a type cloudsync knows (the schema reports others). */
function buildChannels(raw: Record<string, unknown>): Record<string, ChannelSpec> {
  const channels: Record<string, ChannelSpec> = {};
  for (const [name, value] of Object.entries(raw)) {
    const type = isMapping(value) ? value.type : undefined;
    if (isChannelType(type)) channels[name] = buildChannel({ ...(value as Record<string, unknown>), type });
  }
  return channels;
}

/** A bandwidth limit as written, read (an incomplete timetable entry is the schema's to report). */
function readBwlimit(written: unknown): BwlimitResult | null {
  if (typeof written !== "string" && !Array.isArray(written)) return null;
  const entries = Array.isArray(written) ? written.map((e) => fields(e) as unknown as BwlimitEntryInput) : written;
  return typeof entries === "string" || entries.every((e) => typeof e.time === "string" && typeof e.bandwidth === "string") ? parseBwlimit(entries) : null;
}

/** The settings a task and each of its destinations write the same way: read once, with what reading found. */
function readOverridable(written: Record<string, unknown>) {
  const checkWritten = isMapping(written.check) ? fields<NonNullable<File.Check>>(written.check) : null;
  const checkSchedule = checkWritten ? readSchedule(checkWritten.schedule) : null;
  const bwlimit = readBwlimit(written.bwlimit);
  const maxDelete = written.max_delete;
  const values: Required<DestinationOverrides> = {
    transfer_mode: text(written.transfer_mode, "copy").toLowerCase() as TransferMode,
    bwlimit: bwlimit?.ok && bwlimit.value !== "off" ? bwlimit.value : null,
    transfers: typeof written.transfers === "string" ? (TRANSFERS_ALIASES[written.transfers.toLowerCase()] ?? DEFAULT_TRANSFERS) : whole(written.transfers, DEFAULT_TRANSFERS),
    rclone_args: texts(written.rclone_args),
    max_delete: Number.isInteger(maxDelete) || (typeof maxDelete === "string" && /^\d+(\.\d+)?%$/.test(maxDelete)) ? (maxDelete as number | string) : null,
    versions: versionsOf(written.versions),
    check: checkSchedule?.ok ? { schedule: checkSchedule.cron, download: flag(checkWritten!.download, false) } : null,
  };
  return { values, readings: { checkSchedule, bwlimit } };
}

function readEncryption(written: unknown): EncryptionSpec | null {
  if (written === undefined || written === null) return null;
  const encryption = fields<File.Encryption>(written);
  return { password: text(encryption.password, ""), salt: textOrNull(encryption.salt), filename_encryption: flag(encryption.filename_encryption, false) };
}

/** Where a task (or a destination) writes: its credential, bucket, folder and encryption. */
function readPlace(written: Record<string, unknown>, credentials: Record<string, CredentialSpec>, backends: BackendCatalog) {
  const credential = credentials[text(written.credential, "")];
  const backend = credential ? backends.find(credential.type) : undefined;
  return {
    credential: text(written.credential, ""),
    bucket: textOrNull(written.bucket),
    folder: normalizeFolder(text(written.folder, ""), backend?.bucketBased ?? false),
    encryption: readEncryption(written.encryption),
  };
}

function buildDestination(raw: unknown, credentials: Record<string, CredentialSpec>, backends: BackendCatalog): { destination: DestinationSpec; readings: DestinationReadings } {
  const written = fields<File.Destination>(raw);
  const { values, readings } = readOverridable(written);
  // Only what it sets itself: the rest is the task's.
  const overrides = Object.fromEntries(DESTINATION_OVERRIDES.filter((key) => written[key] !== undefined).map((key) => [key, values[key]])) as DestinationOverrides;
  return { destination: { ...readPlace(written, credentials, backends), overrides }, readings };
}

function buildTask(raw: unknown, credentials: Record<string, CredentialSpec>, backends: BackendCatalog): { spec: TaskSpec; readings: TaskReadings } {
  const task = fields<File.Task>(raw);
  const schedule = readSchedule(task.schedule);
  const { values, readings } = readOverridable(task);
  const destinations: Record<string, DestinationSpec> = {};
  const destinationReadings: Record<string, DestinationReadings> = {};
  for (const [name, written] of Object.entries(fields(task.destinations))) {
    const built = buildDestination(written, credentials, backends);
    destinations[name] = built.destination;
    destinationReadings[name] = built.readings;
  }
  const spec: TaskSpec = {
    description: text(task.description, ""),
    direction: text(task.direction, "push").toLowerCase() as Direction,
    allow_empty_source: flag(task.allow_empty_source, false),
    path: pathOf(task.path),
    ...readPlace(task, credentials, backends),
    schedule: schedule?.ok ? schedule.cron : null,
    enabled: flag(task.enabled, true),
    snapshot: flag(task.snapshot, false),
    create_empty_src_dirs: flag(task.create_empty_src_dirs, false),
    follow_symlinks: flag(task.follow_symlinks, false),
    fast_list: flag(task.fast_list, false),
    exclude: texts(task.exclude),
    include: texts(task.include),
    pre_script: text(task.pre_script, ""),
    post_script: text(task.post_script, ""),
    retries: whole(task.retries, DEFAULT_RETRIES),
    retry_delay: text(task.retry_delay, DEFAULT_RETRY_DELAY),
    timeout: textOrNull(task.timeout),
    catchup: flag(task.catchup, false),
    notify: Array.isArray(task.notify) ? texts(task.notify) : null,
    max_age: textOrNull(task.max_age),
    ...values,
    destinations: isMapping(task.destinations) ? destinations : null,
    parallel: whole(task.parallel, 1),
  };
  return { spec, readings: { schedule, ...readings, destinations: destinationReadings } };
}

/** The desired model of the file's data. */
export function buildModel(data: unknown, backends: BackendCatalog): Built {
  const root = fields<File.CloudsyncConfiguration>(data);
  const credentials: Record<string, CredentialSpec> = {};
  for (const [name, raw] of Object.entries(fields(root.credentials))) credentials[name] = buildCredential(raw, backends);
  const tasks: Record<string, TaskSpec> = {};
  const readings: Record<string, TaskReadings> = {};
  for (const [name, raw] of Object.entries(fields(root.tasks))) {
    const built = buildTask(raw, credentials, backends);
    tasks[name] = built.spec;
    readings[name] = built.readings;
  }
  const config = { settings: buildSettings(fields<NonNullable<File.Settings>>(root.settings)), credentials, notifications: buildChannels(fields(root.notifications)), tasks };
  return { config, readings };
}
