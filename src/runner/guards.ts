// Checks that stand between a run and data loss: a local path that is not a
// directory, a source with nothing in it (a sync from it deletes
// everything), and the max_delete budget.
import { lstatSync, readlinkSync, realpathSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { isInside, localWrites, protectedPlace } from "../config/safety.js";
import { fsReason } from "../errors.js";
import { remoteOf } from "../plan/diff.js";
import type { ProcessGroup } from "../model/run-record.js";
import { endpoints, verbosityFor, type RemoteConfig } from "../rclone/command.js";
import { exitMeaning } from "../rclone/exit-codes.js";
import { isDecryptionFailure } from "../rclone/log.js";
import { runRclone } from "../rclone/process.js";
import type { TaskSpec } from "../model/config.js";
import { fail, ok, type Result } from "../result.js";


/** rclone's "directory not found": an empty place, as far as the guards are concerned. */
const NOT_FOUND = 3;

/** A push reads a directory and a pull writes into one: anything else there fails the run before rclone starts. */
export function checkLocalPath(task: Pick<TaskSpec, "direction" | "path">): Result<null> {
  try {
    if (!statSync(task.path).isDirectory()) {
      return fail(`path ${task.path} is not a directory: a ${task.direction} ${task.direction === "push" ? "reads" : "writes into"} a directory`);
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" && task.direction === "pull") return ok(null); // rclone creates it
    if (code === "ENOENT") return fail(`path ${task.path} does not exist: is the disk mounted?`);
    return fail(`cannot use path ${task.path}: ${fsReason(error)}`);
  }
  return ok(null);
}

/**
 * A local path as it really is: links and `..` resolved, up to the deepest part that exists (a pull
 * creates the rest), a link to what does not exist yet followed to where it points.
 */
function realPlace(path: string, hops = 0): string {
  const missing: string[] = [];
  for (let existing = path; ; existing = dirname(existing)) {
    try {
      // The C library's realpath: one call, where Node's own walks the path with an lstat per part.
      return join(realpathSync.native(existing), ...missing);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT" && hops < 40 && isLink(existing)) return join(realPlace(resolve(dirname(existing), readlinkSync(existing)), hops + 1), ...missing);
      if ((code !== "ENOENT" && code !== "ENOTDIR") || dirname(existing) === existing) return path;
      missing.unshift(basename(existing));
    }
  }
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * The local places a run writes into or deletes from, as they are when it starts (after the pre-script,
 * which may mount them): validate sees only the text, and a symbolic link can make /mnt/backup be /etc,
 * or a local folder lie inside the path it copies.
 */
export function checkRealPlaces(spec: Pick<TaskSpec, "direction" | "transfer_mode" | "path" | "folder">, localCredential: boolean): Result<null> {
  for (const { field, place: written, action } of localWrites(spec, localCredential)) {
    const real = realPlace(written);
    const what = protectedPlace(real);
    if (what) return fail(`${field} ${written} is ${real}${real === written ? "" : " (through a symbolic link)"}, ${what}: cloudsync never lets a task ${action} there`);
  }
  if (localCredential) {
    const [path, folder] = [realPlace(spec.path), realPlace(spec.folder)];
    if (isInside(folder, path) || isInside(path, folder)) {
      return fail(`folder ${spec.folder} and path ${spec.path} are ${folder === path ? "the same directory" : "inside one another"} (${folder} and ${path}, through a symbolic link): every run would copy the task into itself`);
    }
  }
  return ok(null);
}

export interface GuardContext {
  spec: TaskSpec;
  /** The run's remotes, the same obscured forms its transfer uses. */
  remotes: RemoteConfig;
  rclone: string;
  env: NodeJS.ProcessEnv;
  filterPath: string;
  /** Where the run reads the local side from (a snapshot, or the task's path). */
  localSource: string;
  signal: AbortSignal;
  graceMs: number;
  /** For rclone's words quoted in a reason. */
  redact: (text: string) => string;
  onSpawn?: (group: ProcessGroup) => void;
}

/** Runs a listing rclone command against the task's source or destination, through its filters and encryption. */
async function listWithFilters(context: GuardContext, side: "source" | "destination", args: string[], onStdout: (line: string, stop: () => void) => void) {
  const { spec } = context;
  const config = context.remotes;
  const places = endpoints(spec, config.remote, context.localSource);
  let undecryptable = false;
  const outcome = await runRclone(
    context.rclone,
    { args: [...args, places[side], "--filter-from", context.filterPath, ...(spec.follow_symlinks ? ["--copy-links"] : []), "--use-json-log", verbosityFor(spec)], env: config.env },
    context.env,
    {
      onStdout,
      onEvent: (event) => {
        if (isDecryptionFailure(event)) undecryptable = true;
      },
      signal: context.signal,
      graceMs: context.graceMs,
      onSpawn: context.onSpawn,
    },
  );
  return { outcome, undecryptable, places };
}

const where = (spec: TaskSpec, side: "source" | "destination") => ((spec.direction === "push") === (side === "source") ? spec.path : remoteOf(spec));

/**
 * A sync or move from a source with no file the task would transfer (empty,
 * missing, an unmounted disk, a wrong folder) is refused: a sync from it
 * deletes everything at the destination. One file is enough: listing stops there.
 */
export async function checkSourceNotEmpty(context: GuardContext): Promise<Result<null>> {
  const { spec } = context;
  if (spec.transfer_mode === "copy" || spec.allow_empty_source) return ok(null);
  let found = false;
  const { outcome, undecryptable, places } = await listWithFilters(context, "source", ["lsf", "-R", "--files-only"], (_line, stop) => {
    found = true;
    stop();
  });
  if (found) return ok(null);
  if (context.signal.aborted) return fail("aborted");
  if (undecryptable) return fail(`the source ${where(spec, "source")} could not be decrypted: is the encryption password (and salt) right?`);
  if (outcome.code !== 0 && outcome.code !== NOT_FOUND) {
    const detail = outcome.errorLines.map(context.redact).at(-1);
    return fail(`cannot list the source ${places.source} to check that it is not empty: ${exitMeaning(outcome.code, outcome.signal)}${detail ? `\n${detail}` : ""}`, outcome.code === 5);
  }
  const consequence = spec.transfer_mode === "sync" ? `; a sync from it would delete every file at ${where(spec, "destination")}` : "";
  return fail(
    `refusing to ${spec.transfer_mode} from an empty source: ${where(spec, "source")} has no file to transfer (is the disk mounted? is the folder right?)${consequence}. Nothing was changed. If it is meant to be empty, set allow_empty_source: true`,
  );
}

/** How many files a sync may delete: max_delete as a count, or its share of the files at the destination now. */
export async function deletionLimit(context: GuardContext): Promise<Result<{ limit: number; note: string } | null>> {
  const { spec } = context;
  if (spec.transfer_mode !== "sync" || spec.max_delete === null) return ok(null);
  if (typeof spec.max_delete === "number") return ok({ limit: spec.max_delete, note: `max_delete: at most ${spec.max_delete} file${spec.max_delete === 1 ? "" : "s"} may be deleted` });
  const lines: string[] = [];
  const { outcome, places } = await listWithFilters(context, "destination", ["size", "--json"], (line) => lines.push(line));
  if (context.signal.aborted) return fail("aborted");
  let count = 0;
  if (outcome.code === 0) count = Number((JSON.parse(lines.join("\n")) as { count?: number }).count ?? 0);
  else if (outcome.code !== NOT_FOUND) {
    return fail(`cannot count the files at ${places.destination} for max_delete ${spec.max_delete}: ${exitMeaning(outcome.code, outcome.signal)}`, outcome.code === 5);
  }
  const limit = Math.floor((count * Number.parseFloat(spec.max_delete)) / 100);
  return ok({ limit, note: `max_delete ${spec.max_delete} of the ${count} file${count === 1 ? "" : "s"} at ${where(spec, "destination")}: at most ${limit} may be deleted` });
}

