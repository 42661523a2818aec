import { chmodSync, readdirSync, realpathSync, renameSync, rmSync, statSync } from "node:fs";
import { basename, dirname, isAbsolute, join } from "node:path";
import type { RestoreResult } from "../model/results.js";
import { loadConfig } from "../config/load.js";
import { backendCatalog } from "../rclone/backends.js";
import type { DesiredConfig, TaskSpec } from "../model/config.js";
import { pickDestination } from "../model/destinations.js";
import { addRestoreTask, reversedSpec, type RestoreRequest } from "../config/restore.js";
import { ConfigError, ConflictError, fsReason, UserError } from "../errors.js";
import { buildInvocation, remoteConfig } from "../rclone/command.js";
import { runRclone } from "../rclone/process.js";
import { writeDurably } from "../state/durable.js";
import { environmentOf, loadValidFile, readConfigText, type Workspace } from "./workspace.js";

export interface RestoreOptions {
  path: string;
  transferMode: RestoreRequest["transferMode"];
  name?: string;
  description?: string;
  /** Add the entry to the file (only lines are added). */
  write?: boolean;
  /** Allow sync into a directory with files in it. */
  force?: boolean;
  /** For a task with destinations: the one to bring the files back from. */
  from?: string;
}


/** The reversed task that brings TASK's files back; with `write`, added to the file exactly as generated. */
export async function restore(ws: Workspace, task: string, options: RestoreOptions): Promise<RestoreResult> {
  const { config, text, diagnostics } = await loadValidFile(ws);
  const written = config.tasks[task];
  if (!written) throw new UserError(`there is no task ${task} in ${ws.configName}`, `Tasks: ${Object.keys(config.tasks).join(", ") || "none"}.`);
  const { spec } = pickDestination(task, written, options.from);
  if (!isAbsolute(options.path)) throw new UserError(`--path must be an absolute directory (got ${options.path})`);

  const result = addRestoreTask(text, { task, direction: spec.direction, path: options.path, transferMode: options.transferMode, name: options.name, description: options.description, from: options.from });
  if (!result.ok) throw new UserError(`cannot restore ${task}: ${result.problem}`, result.hint);
  // The new entry must leave a valid file, whatever it was copied from.
  const after = await loadConfig(ws.configName, result.text, environmentOf(ws));
  if (!after.config) {
    throw new ConfigError(ws.configName, after.diagnostics.filter((d) => d.severity === "error"), `with ${result.name} added, the file would not be valid; nothing was written`);
  }
  if (options.transferMode === "sync" && !options.force) await refuseSyncIntoFilledDirectory(ws, config, spec, options.path);
  if (options.write) writeConfigFile(ws, text, result.text);
  return { name: result.name, entry: result.entry, written: options.write === true, diagnostics };
}

/** Replaces the file atomically, keeping its mode; refuses if it changed since it was read. */
function writeConfigFile(ws: Workspace, before: string, text: string): void {
  const target = realpathSync(ws.configPath);
  const again = readConfigText(ws);
  if ("problem" in again || again.text !== before) throw new UserError(`${ws.configName} changed while restore ran; nothing was written`, "Run the command again.");
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.cloudsync-restore.tmp`);
  try {
    writeDurably(temp, text, "wx");
    chmodSync(temp, statSync(target).mode & 0o7777);
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    throw new UserError(`cannot write ${ws.configName}: ${fsReason(error)}`);
  }
}

/** Sync deletes what the remote lacks: into a directory with files in it only when asked, after saying how much. */
async function refuseSyncIntoFilledDirectory(ws: Workspace, config: DesiredConfig, task: TaskSpec, path: string): Promise<void> {
  let entries: string[];
  try {
    entries = readdirSync(path);
  } catch {
    return; // not there yet: rclone creates it
  }
  if (entries.length === 0) return;
  const spec = reversedSpec(task, path, "sync");
  const invocation = buildInvocation(spec, remoteConfig(config.credentials[spec.credential]!, spec, await backendCatalog(config.settings.rclone, ws.env)), { dryRun: true, filterFile: null, localSource: null });
  const doomed: string[] = [];
  let deletes: number | null = null;
  try {
    const outcome = await runRclone(config.settings.rclone, invocation, ws.env, {
      onEvent: (event) => {
        if (event.kind === "entry" && /^Skipped delete/.test(event.message) && event.object) doomed.push(event.object);
      },
      timeoutMs: 10 * 60_000,
      graceMs: 5_000,
    });
    if (outcome.code === 0) deletes = Math.max(outcome.stats?.deletes ?? 0, doomed.length);
  } catch {
    // rclone missing or unusable: the refusal stands without a count
  }
  const what =
    deletes === null
      ? "a dry run to count what sync would delete failed"
      : deletes === 0
        ? "a dry run found nothing it would delete, but files there may be overwritten"
        : `a dry run says sync would delete ${deletes} file${deletes === 1 ? "" : "s"} there that the remote lacks (${doomed.sort().slice(0, 5).join(", ")}${doomed.length > 5 ? ", …" : ""})`;
  throw new ConflictError(`${path} is not empty, and restoring with sync makes it equal to the remote: ${what}`, "Restore into an empty directory, use --transfer-mode copy, or pass --force.");
}
