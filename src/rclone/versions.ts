// Versions: what runs replace at the destination, kept in
// DEST/.cloudsync-versions/STAMP/ (STAMP: the replacing run's start, UTC).
// The rules, without I/O: names and times of version folders, which have
// expired, and which copy of each file a restore to a point in time takes.
import { below } from "./command.js";

export const VERSIONS_DIRECTORY = ".cloudsync-versions";
/** The filter line's pattern that keeps the versions out of every transfer, listing, count and deletion. */
export const VERSIONS_EXCLUDED = `/${VERSIONS_DIRECTORY}/`;

const STAMP = /^(\d{4}-\d{2}-\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** A run's start as a version folder's name: `2026-12-07T031500Z`. */
export const versionStamp = (at: Date): string => at.toISOString().replace(/\.\d{3}Z$/, "Z").replaceAll(":", "");

/** When a version folder's files were replaced; null for a name that is not a stamp. */
export function stampTime(stamp: string): Date | null {
  const found = STAMP.exec(stamp);
  if (!found) return null;
  const at = new Date(`${found[1]}T${found[2]}:${found[3]}:${found[4]}Z`);
  return Number.isNaN(at.getTime()) ? null : at;
}

/** Where a destination (in rclone's syntax: a remote path, or a local directory) keeps its versions. */
export const versionsPlace = (destination: string) => below(destination, VERSIONS_DIRECTORY);

/** Where a run starting at `stamp` moves what it replaces (rclone's --backup-dir). */
export const backupDirFor = (destination: string, stamp: string) => below(destination, `${VERSIONS_DIRECTORY}/${stamp}`);

/**
 * The version folders older than `keepMs` at `now`, by their stamp: when the files were replaced,
 * never their own modification time (a year-old file deleted today is kept for the whole `keep`).
 */
export function expiredStamps(stamps: readonly string[], keepMs: number, now: Date): string[] {
  return stamps.filter((stamp) => {
    const at = stampTime(stamp);
    return at !== null && now.getTime() - at.getTime() > keepMs;
  });
}

/** How long a look at the version folders is trusted: a day, at most. */
const LOOK_AGAIN_MS = 86_400_000;

/**
 * Whether a run must list the version folders to prune them: when it has never looked, when the
 * oldest folder it saw may have expired by now, or when its last look is a day old.
 */
export function pruneNeedsALook(seen: { oldest: string | null; listed_at: string } | null, keepMs: number, now: Date): boolean {
  if (!seen) return true;
  if (now.getTime() - Date.parse(seen.listed_at) >= LOOK_AGAIN_MS) return true;
  const oldest = seen.oldest === null ? null : stampTime(seen.oldest);
  return oldest !== null && now.getTime() - oldest.getTime() > keepMs;
}

/** A character rclone's globs would read as a pattern, escaped. */
const globEscape = (path: string) => path.replace(/[*?[\]{}\\]/g, "\\$&");

/** An rclone filter file that takes only the given version folders (for deleting them). */
export function stampsFilter(stamps: readonly string[]): string {
  return `${[...stamps.map((stamp) => `+ /${globEscape(stamp)}/**`), "- **"].join("\n")}\n`;
}

/**
 * An rclone filter file that takes one file or folder, `path` (relative to the top listed), or in
 * every version folder (`inVersions`), and nothing else; rclone then lists only the folders on the way.
 */
export function pathFilter(path: string, inVersions: boolean): string {
  const at = `${inVersions ? "/*" : ""}/${globEscape(path.replace(/^\/+|\/+$/g, ""))}`;
  return `${[...(inVersions ? [] : [`- ${VERSIONS_EXCLUDED}`]), `+ ${at}`, `+ ${at}/**`, "- **"].join("\n")}\n`;
}

/** A file as listed (rclone lsjson, relative to the destination or to the versions folder). */
export interface ListedFile {
  path: string;
  size: number;
  /** As rclone gives it: RFC 3339, to the nanosecond. */
  modified: string;
}

/** One kept version of a file. */
export interface VersionFile extends ListedFile {
  stamp: string;
}

/** The files under the versions folder as versions: the first part of each path is its stamp (other names are not cloudsync's). */
export function versionFiles(listed: readonly ListedFile[]): VersionFile[] {
  const versions: VersionFile[] = [];
  for (const file of listed) {
    const slash = file.path.indexOf("/");
    const stamp = file.path.slice(0, slash);
    if (slash > 0 && stampTime(stamp)) versions.push({ ...file, stamp, path: file.path.slice(slash + 1) });
  }
  return versions;
}

export interface VersionFolder {
  stamp: string;
  /** When its files were replaced, as an ISO time. */
  replaced_at: string;
  files: number;
  bytes: number;
}

/** The version folders with their files and bytes, newest first. */
export function versionFolders(versions: readonly VersionFile[], stamps: readonly string[] = []): VersionFolder[] {
  const folders = new Map<string, VersionFolder>();
  const folder = (stamp: string) => {
    let found = folders.get(stamp);
    if (!found) folders.set(stamp, (found = { stamp, replaced_at: stampTime(stamp)!.toISOString(), files: 0, bytes: 0 }));
    return found;
  };
  for (const stamp of stamps) if (stampTime(stamp)) folder(stamp);
  for (const version of versions) {
    const found = folder(version.stamp);
    found.files++;
    found.bytes += Math.max(0, version.size);
  }
  return [...folders.values()].sort((a, b) => b.stamp.localeCompare(a.stamp));
}

/** The kept versions of a file, or of every file in a folder, newest first. */
export function versionsOf(versions: readonly VersionFile[], path: string): VersionFile[] {
  const wanted = path.replace(/^\/+|\/+$/g, "");
  return versions.filter((v) => wanted === "" || v.path === wanted || v.path.startsWith(`${wanted}/`)).sort((a, b) => b.stamp.localeCompare(a.stamp) || a.path.localeCompare(b.path));
}

/** Which copy of a file a restore takes: the destination's own (`stamp` null), or a version folder's. */
export interface RestoreSource extends ListedFile {
  stamp: string | null;
}

/**
 * The destination as it was at `at`: for each file, the earliest version replaced after `at`
 * (what was there until then), unless that version was itself modified after `at` (the file did
 * not exist yet); else the current file, if it has not been modified since `at`. Sorted by path.
 */
export function pointInTime(current: readonly ListedFile[], versions: readonly VersionFile[], at: Date): RestoreSource[] {
  const time = at.getTime();
  const earliestAfter = new Map<string, VersionFile>();
  for (const version of versions) {
    if (stampTime(version.stamp)!.getTime() <= time) continue;
    const known = earliestAfter.get(version.path);
    if (!known || version.stamp < known.stamp) earliestAfter.set(version.path, version);
  }
  const chosen: RestoreSource[] = [];
  for (const version of earliestAfter.values()) if (Date.parse(version.modified) <= time) chosen.push(version);
  for (const file of current) {
    if (!earliestAfter.has(file.path) && Date.parse(file.modified) <= time) chosen.push({ ...file, stamp: null });
  }
  return chosen.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
