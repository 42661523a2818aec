import { durationMs } from "../../model/config.js";
import { destinationsOf } from "../../model/destinations.js";
import { messages } from "../messages.js";
import { cleanPath, destinationOf, hasControlCharacter, isInside, localWrites, overlappingDestinations, ownedFlag, protectedPlace, type Place } from "../safety.js";
import { globProblem } from "../glob.js";
import { closest } from "../suggest.js";
import type { Rule, TaskRule } from "./rule.js";

/** Fields that reach a command line, a unit or a manifest have no control character. */
const oneLine =
  (fields: readonly ("description" | "path" | "folder" | "bucket")[]): TaskRule =>
  ({ written, at }, report) => {
    for (const field of fields) {
      const value = written[field];
      if (typeof value === "string" && hasControlCharacter(value)) report.error(messages.controlCharacter(field), at(field));
    }
  };

export const onOneLine = oneLine(["description", "path"]);
/** A destination's place too: a task's own folder and bucket, or each destination's. */
export const placeOnOneLine = oneLine(["folder", "bucket"]);

/** The local path is absolute, and inside settings.allowed_roots when there are some. */
export const pathAbsoluteAndAllowed: TaskRule = ({ written, spec, config, at }, report) => {
  if (typeof written.path !== "string" || hasControlCharacter(written.path)) return;
  if (!written.path.startsWith("/")) return report.error(messages.pathNotAbsolute("path", written.path), at("path"));
  const roots = config.settings.allowed_roots;
  if (roots.length > 0 && !roots.some((root) => isInside(spec.path, root))) report.error(messages.pathOutsideRoots(spec.path, roots), at("path"));
};

export const knownCredential: TaskRule = ({ written, spec, config, at, placeless }, report) => {
  if (placeless || typeof written.credential !== "string" || config.credentials[spec.credential]) return;
  const known = Object.keys(config.credentials);
  report.error(messages.unknownCredential(spec.credential, closest(spec.credential, known), known), at("credential"));
};

/** A bucket exactly when the backend has buckets. */
export const bucketFitsBackend: TaskRule = ({ spec, backend, at }, report) => {
  if (backend?.bucketBased && spec.bucket === null) report.error(messages.bucketRequired(spec.credential, backend.name), at(), "key");
  if (backend && !backend.bucketBased && spec.bucket !== null) report.error(messages.bucketNotApplicable(spec.credential, backend.name), at("bucket"), "key");
};

/** On a `local` credential the folder is an absolute directory apart from the path. */
export const localFolderApart: TaskRule = ({ written, spec, backend, at }, report) => {
  if (backend?.name !== "local" || (typeof written.folder === "string" && hasControlCharacter(written.folder))) return;
  if (written.folder === undefined) return report.error(messages.localFolderNotAbsolute(spec.credential), at(), "key");
  if (typeof written.folder === "string" && !written.folder.startsWith("/")) return report.error(messages.localFolderNotAbsolute(spec.credential), at("folder"));
  if (spec.path.startsWith("/")) {
    const folder = cleanPath(spec.folder);
    const how = folder === spec.path ? "equal" : isInside(folder, spec.path) ? "inside" : isInside(spec.path, folder) ? "contains" : undefined;
    if (how) report.error(messages.folderOverlapsPath(written.folder as string, spec.path, how), at("folder"));
  }
};

export const noPushToReadOnly: TaskRule = ({ spec, backend, at, destination }, report) => {
  if (backend?.readOnly && spec.direction === "push") report.error(messages.readOnlyRemote(spec.credential, backend.name), at(destination === null ? "direction" : "credential"));
};

/** Where the task writes, and for a move where it deletes: never the root or the system's directories. */
export const noProtectedPlaces: TaskRule = ({ written, spec, backend, at, placeless }, report) => {
  if (placeless) return;
  for (const { field, place, action } of localWrites({ direction: spec.direction, transfer_mode: spec.transfer_mode, path: spec.path, folder: cleanPath(spec.folder) }, backend?.name === "local")) {
    const what = place.startsWith("/") ? protectedPlace(place) : undefined;
    if (what && typeof written[field] === "string") report.error(messages.protectedPlace(field, place, what, action), at(field));
  }
};

/** The run's schedule can be read. */
export const readableSchedule: TaskRule = ({ readings, at }, report) => {
  if (readings.schedule?.ok === false) for (const problem of readings.schedule.problems) report.error(problem.message, problem.field ? at("schedule", problem.field) : at("schedule"));
};

/** The check's schedule and the bandwidth timetable can be read (the task's, or a destination's own). */
export const readableTimes: TaskRule = ({ readings, at }, report) => {
  if (readings.checkSchedule?.ok === false) for (const problem of readings.checkSchedule.problems) report.error(problem.message, problem.field ? at("check", "schedule", problem.field) : at("check", "schedule"));
  if (readings.bwlimit && !readings.bwlimit.ok) {
    for (const problem of readings.bwlimit.problems) {
      if (problem.entry !== undefined) report.error(problem.message, at("bwlimit", problem.entry, problem.field ?? "time"));
      else report.error(problem.message, at("bwlimit"), "value", problem.offset);
    }
  }
};

/** rclone filter patterns, each checked as rclone will read it. */
export const readablePatterns: TaskRule = ({ written, at }, report) => {
  for (const field of ["exclude", "include"] as const) {
    const patterns = written[field];
    if (!Array.isArray(patterns)) continue;
    patterns.forEach((pattern, index) => {
      if (typeof pattern !== "string") return;
      const label = `${field}[${index}]`;
      if (hasControlCharacter(pattern)) return report.error(messages.controlCharacter(label), at(field, index));
      const problem = globProblem(pattern);
      if (problem) report.error(messages.badPattern(label, pattern, problem), at(field, index));
      else if (pattern !== pattern.trim()) report.warn(messages.patternSpaces(label, pattern), at(field, index));
    });
  }
};

/** rclone_args do not set what cloudsync sets itself, nor take a sync's safety away. */
export const rcloneArgsLeaveOwnedFlags: TaskRule = ({ written, spec, at }, report) => {
  if (!Array.isArray(written.rclone_args)) return;
  written.rclone_args.forEach((arg, index) => {
    if (typeof arg !== "string") return;
    const owned = ownedFlag(arg);
    if (owned) report.error(messages.ownedFlag(owned.flag, owned.instead), at("rclone_args", index));
    // rclone keeps a sync from deleting after it could not read the source; this flag takes that away.
    else if (spec.transfer_mode === "sync" && /^--ignore-errors(=true)?$/.test(arg)) report.warn(messages.syncIgnoringErrors(), at("rclone_args", index));
  });
};

/** max_delete is at most 100 %, and means something only for a sync. */
export const maxDeleteSensible: TaskRule = ({ spec, at }, report) => {
  if (spec.max_delete === null) return;
  if (typeof spec.max_delete === "string" && Number.parseFloat(spec.max_delete) > 100) report.error(messages.maxDeleteShare(spec.max_delete), at("max_delete"));
  if (spec.transfer_mode !== "sync") report.warn(messages.maxDeleteWithoutSync(spec.transfer_mode), at("max_delete"), "key");
};

/** A snapshot is of the local source: a push that copies or syncs. */
export const snapshotOfSource: TaskRule = ({ spec, at }, report) => {
  if (spec.snapshot && spec.direction === "pull") report.error(messages.snapshotNeedsPush(), at("snapshot"), "key");
  if (spec.snapshot && spec.transfer_mode === "move") report.error(messages.snapshotWithMove(), at("snapshot"), "key");
};

/** rclone flags that would fight versions: another place for replaced files, or deleting the excluded versions. */
const AGAINST_VERSIONS = ["--backup-dir", "--suffix", "--suffix-keep-extension", "--compare-dest", "--copy-dest", "--delete-excluded"];

/** Versions can be kept: nothing in rclone_args moves replaced files elsewhere, and `keep` keeps something. */
export const versionsKeepable: TaskRule = ({ written, spec, at }, report) => {
  if (!spec.versions) return;
  if (durationMs(spec.versions.keep) === 0) report.error(messages.versionsKeepNothing(spec.versions.keep), at("versions", "keep"));
  if (!Array.isArray(written.rclone_args)) return;
  written.rclone_args.forEach((arg, index) => {
    const flag = typeof arg === "string" ? AGAINST_VERSIONS.find((f) => arg === f || arg.startsWith(`${f}=`)) : undefined;
    if (flag) report.error(messages.versionsFlag(flag), at("rclone_args", index));
  });
};

/** `destinations` on a push only, instead of the task's own credential, bucket, folder and encryption. */
export const destinationsOrCredential: TaskRule = ({ written, spec, at }, report) => {
  const own = (["credential", "bucket", "folder", "encryption"] as const).filter((field) => written[field] !== undefined);
  if (written.destinations === undefined) {
    // A task that is no mapping (or an empty one) has been reported by the schema.
    if (written.credential === undefined && Object.keys(written).length > 0) report.error(messages.credentialOrDestinations(), at(), "key");
    return;
  }
  if (spec.direction === "pull") report.error(messages.destinationsOnPull(), at("destinations"), "key");
  for (const field of own) report.error(messages.destinationsReplaceOwn(field), at(field), "key");
};

/** Two destinations of one task writing into the same place (or one inside the other) overwrite each other. */
export const ownDestinationsApart: TaskRule = ({ spec, config, at }, report) => {
  if (!spec.destinations) return;
  const places: Array<[string, Place]> = destinationsOf(spec).map(({ name, spec: d }) => [name!, destinationOf(d, config.credentials[d.credential]?.type === "local")]);
  for (const { task: destination, other, nested } of overlappingDestinations(places)) report.error(messages.sameDestination(destination, other, nested), at("destinations", destination), "key");
};

/** Two tasks writing into one place (or one inside the other's) overwrite each other: warned. */
export const destinationsApart: Rule = ({ config }, report) => {
  const places: Array<[string, Place]> = [];
  const owner = new Map<string, { task: string; at: (string | number)[] }>();
  for (const [name, task] of Object.entries(config.tasks)) {
    for (const { name: destination, spec } of destinationsOf(task)) {
      const key = destination === null ? name : `${name} → ${destination}`;
      owner.set(key, { task: name, at: destination === null ? ["tasks", name] : ["tasks", name, "destinations", destination] });
      places.push([key, destinationOf(spec, config.credentials[spec.credential]?.type === "local")]);
    }
  }
  for (const { task, other, nested } of overlappingDestinations(places)) {
    // Within one task it is an error of its own (ownDestinationsApart).
    if (owner.get(task)!.task !== owner.get(other)!.task) report.warn(messages.overlappingDestination(task, other, nested), owner.get(task)!.at, "key");
  }
};
