// The rules of "what cloudsync refuses to do" that the file alone shows:
// flags cloudsync owns, places no task may write into, overlapping
// destinations. Pure: everything comes in as arguments.
import { posix } from "node:path";
import type { TaskSpec } from "../model/config.js";

/** rclone flags cloudsync sets itself; in rclone_args they could turn a dry run real or blind the run's report. */
const OWNED_FLAGS = new Set([
  "--dry-run",
  "--verbose",
  "--quiet",
  "--use-json-log",
  "--config",
  "--transfers",
  "--bwlimit",
  "--retries",
  "--max-delete",
  "--copy-links",
  "--create-empty-src-dirs",
  "--fast-list",
]);
const OWNED_FAMILIES = ["--log-", "--stats", "--filter", "--include", "--exclude", "--files-from"];
/** Not a filter rule: it adds to the task's filters rather than replacing them. */
const ALLOWED_IN_FAMILIES = new Set(["--exclude-if-present"]);
/** Single-letter forms: -n (dry run), -v, -q, -L (copy links); pflag lets them be combined (-vn). */
const OWNED_SHORT = new Set(["n", "v", "q", "L"]);

const TASK_FIELD_FOR: Record<string, string> = {
  "--dry-run": "run --dry-run",
  "--transfers": "transfers",
  "--bwlimit": "bwlimit",
  "--retries": "retries",
  "--max-delete": "max_delete",
  "--copy-links": "follow_symlinks",
  "--create-empty-src-dirs": "create_empty_src_dirs",
  "--fast-list": "fast_list",
  "--filter": "exclude and include",
  "--include": "include",
  "--exclude": "exclude",
  "--files-from": "include",
};

/** Flags cloudsync owns that take a value (`--exclude foo`): dropping one means dropping its value too. */
const OWNED_WITH_VALUE = new Set([
  "--config",
  "--transfers",
  "--bwlimit",
  "--retries",
  "--max-delete",
  "--log-file",
  "--log-level",
  "--log-format",
  "--stats",
  "--stats-unit",
  "--stats-log-level",
  "--stats-file-name-length",
  "--filter",
  "--filter-from",
  "--include",
  "--include-from",
  "--exclude",
  "--exclude-from",
  "--files-from",
  "--files-from-raw",
]);

/** Whether an owned flag (as ownedFlag names it) takes a value in the next argument when not written `--flag=value`. */
export const takesValue = (flag: string): boolean => OWNED_WITH_VALUE.has(flag);

export interface OwnedFlag {
  /** The flag as cloudsync names it (`--dry-run`, `-n`). */
  flag: string;
  /** The task field (or command option) to use instead, if there is one. */
  instead: string | null;
}

/** Whether an rclone_args item is a flag cloudsync owns (or the `--` that would make cloudsync's own flags arguments). */
export function ownedFlag(arg: string): OwnedFlag | undefined {
  if (arg === "--") return { flag: "--", instead: null };
  if (arg.startsWith("--")) {
    const name = arg.split("=", 1)[0]!;
    if (ALLOWED_IN_FAMILIES.has(name)) return undefined;
    const family = OWNED_FAMILIES.find((prefix) => name.startsWith(prefix));
    if (!OWNED_FLAGS.has(name) && !family) return undefined;
    const key = family === "--filter" || family === "--include" || family === "--exclude" || family === "--files-from" ? family : name;
    return { flag: name, instead: TASK_FIELD_FOR[key] ?? null };
  }
  if (/^-[A-Za-z]+/.test(arg)) {
    const letters = arg.slice(1).split("=", 1)[0]!;
    const owned = [...letters].find((letter) => OWNED_SHORT.has(letter));
    if (owned) return { flag: `-${owned}`, instead: owned === "n" ? "run --dry-run" : owned === "L" ? "follow_symlinks" : null };
  }
  return undefined;
}

/** Places no task may write into or delete from: the root and the system's own directories. */
const SYSTEM_DIRECTORIES = ["/bin", "/boot", "/dev", "/etc", "/lib", "/lib32", "/lib64", "/libx32", "/proc", "/run", "/sbin", "/sys", "/usr", "/var"];
/** Kernel file systems: nothing below them is data. */
const PSEUDO_FILESYSTEMS = ["/dev", "/proc", "/sys"];

/** A path without `.`, `..`, doubled or trailing slashes (most absolute ones already are: then it is not copied). */
export function cleanPath(path: string): string {
  if (path.startsWith("/") && !/\/\.{0,2}(?:\/|$)|\/\/|.\/$/.test(path)) return path;
  const normal = posix.normalize(path);
  return normal.length > 1 ? normal.replace(/\/+$/, "") : normal;
}

/** Whether `path` is `root` or below it (both absolute). */
export function isInside(path: string, root: string): boolean {
  return insideClean(cleanPath(path), cleanPath(root));
}

/** isInside for paths already clean. */
function insideClean(path: string, root: string): boolean {
  if (root === "/") return path.startsWith("/");
  return path.startsWith(root) && (path.length === root.length || path.charCodeAt(root.length) === 47);
}

/** Why a task may not write into (or delete from) this local directory, or undefined. */
export function protectedPlace(path: string): string | undefined {
  if (path === "/") return "the root directory";
  if (SYSTEM_DIRECTORIES.includes(path)) return "a system directory";
  const clean = cleanPath(path);
  const pseudo = PSEUDO_FILESYSTEMS.find((root) => insideClean(clean, root));
  if (pseudo) return `inside ${pseudo}, a kernel file system`;
  // Keys, shell start-up files and credentials live there: a restore that lands on them hands over the account.
  if (insideClean(clean, "/root")) return "root's home directory";
  if (clean === "/home") return "the directory of home directories";
  const home = /^\/home\/[^/]+(\/\.[^/]*)?/.exec(clean);
  if (home && home[0] === clean && !home[1]) return "a home directory itself (a sync there reaches its hidden folders: ~/.ssh, start-up files)";
  if (home?.[1]) return "a hidden folder of a home directory";
  return undefined;
}

/** A local place a task writes into, or moves files out of. */
export interface LocalWrite {
  field: "path" | "folder";
  place: string;
  action: "write into" | "move files out of";
}

/** The local places a task writes into or deletes from: its path for a pull or a move; its folder on a `local` credential for a push or a move. */
export function localWrites(task: Pick<TaskSpec, "direction" | "transfer_mode" | "path" | "folder">, localCredential: boolean): LocalWrite[] {
  const writes: LocalWrite[] = [];
  if (task.direction === "pull" || task.transfer_mode === "move") writes.push({ field: "path", place: task.path, action: task.direction === "pull" ? "write into" : "move files out of" });
  if (localCredential && (task.direction === "push" || task.transfer_mode === "move")) writes.push({ field: "folder", place: task.folder, action: task.direction === "push" ? "write into" : "move files out of" });
  return writes;
}

/**
 * Control characters (C0, DEL, C1: a newline, a tab, a NUL, U+0085) and the Unicode line and
 * paragraph separators (U+2028, U+2029): no file name, description or setting needs them, and
 * in a systemd unit or a Kubernetes manifest (read as YAML 1.1) they start a new line.
 */
export const hasControlCharacter = (text: string): boolean => /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(text);

/** A place a task writes into: a local directory or a place on a remote, as path segments. */
export interface Place {
  /** `local`, or `remote:CREDENTIAL` (a remote's places are compared only with the same credential's). */
  space: string;
  /** Absolute (local paths; remote folders written with a leading slash) or relative to the remote's top. */
  absolute: boolean;
  segments: string[];
}

const placeKey = (space: string, absolute: boolean, segments: readonly string[]) => `${space}:${absolute ? "/" : ""}${segments.join("/")}`;
const segmentsOf = (path: string) => path.split("/").filter((s) => s !== "");

/** Where a task writes: its path for a pull; for a push, its folder on the credential (on this disk for `local`). */
export function destinationOf(task: Pick<TaskSpec, "direction" | "path" | "credential" | "bucket" | "folder">, localCredential: boolean): Place {
  if (task.direction === "pull") return { space: "local", absolute: true, segments: segmentsOf(task.path) };
  if (localCredential) return { space: "local", absolute: true, segments: segmentsOf(task.folder) };
  const inBucket = task.bucket !== null;
  return {
    space: `remote:${task.credential}`,
    absolute: !inBucket && task.folder.startsWith("/"),
    segments: [...(inBucket ? [task.bucket!] : []), ...segmentsOf(task.folder)],
  };
}

/**
 * Tasks that write into the same place as an earlier task, or into a place
 * inside another task's: each such task with the other one. Linear in the
 * number of tasks (times the depth of their paths).
 */
export function overlappingDestinations(destinations: ReadonlyArray<readonly [task: string, place: Place]>): Array<{ task: string; other: string; nested: boolean }> {
  const keys = destinations.map(([, place]) => placeKey(place.space, place.absolute, place.segments));
  const byKey = new Map<string, string>();
  destinations.forEach(([task], i) => {
    if (!byKey.has(keys[i]!)) byKey.set(keys[i]!, task);
  });
  const found: Array<{ task: string; other: string; nested: boolean }> = [];
  destinations.forEach(([task, place], i) => {
    const key = keys[i]!;
    const same = byKey.get(key);
    if (same !== task) {
      found.push({ task, other: same!, nested: false });
      return;
    }
    // The places that hold it, nearest first: its key cut before each of its segments, down to its space's top.
    const top = placeKey(place.space, place.absolute, []);
    for (let cut = key.length; cut > top.length; ) {
      cut = key.lastIndexOf("/", cut - 1);
      const outer = byKey.get(cut < top.length ? top : key.slice(0, cut));
      if (outer !== undefined && outer !== task) {
        found.push({ task, other: outer, nested: true });
        return;
      }
    }
  });
  return found;
}
