import { chmodSync, readdirSync, realpathSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, isAbsolute, join } from "node:path";
import { loadConfig } from "../../config/load.js";
import { addRestoreTask, reversedSpec, type RestoreRequest } from "../../config/restore.js";
import type { DesiredConfig } from "../../config/model.js";
import { UserError } from "../../errors.js";
import { buildInvocation, remoteConfig } from "../../rclone/command.js";
import { runRclone } from "../../rclone/process.js";
import { writeDurably } from "../../state/durable.js";
import { loadValidConfig, processEnvironment, readConfigText } from "../config-file.js";
import type { CliContext } from "../context.js";
import { printDiagnostics, printJson, say } from "../output.js";

export interface RestoreOptions {
  path: string;
  transferMode: RestoreRequest["transferMode"];
  name?: string;
  description?: string;
  write?: boolean;
  force?: boolean;
}

export async function restoreCommand(ctx: CliContext, task: string, options: RestoreOptions): Promise<number> {
  const loaded = await loadValidConfig(ctx);
  if (!loaded) return 1;
  const spec = loaded.config.tasks[task];
  if (!spec) throw new UserError(`there is no task ${task} in ${ctx.configName}`, `Tasks: ${Object.keys(loaded.config.tasks).join(", ") || "none"}.`);
  if (!isAbsolute(options.path)) throw new UserError(`--path must be an absolute directory (got ${options.path})`);

  const result = addRestoreTask(loaded.text, { task, direction: spec.direction, path: options.path, transferMode: options.transferMode, name: options.name, description: options.description });
  if (!result.ok) throw new UserError(`cannot restore ${task}: ${result.problem}`, result.hint);
  // The new entry must leave a valid file, whatever it was copied from.
  const after = await loadConfig(ctx.configName, result.text, processEnvironment(ctx));
  if (!after.config) {
    ctx.stderr.write(`With ${result.name} added, ${ctx.configName} would not be valid:\n`);
    printDiagnostics(ctx, after.diagnostics.filter((d) => d.severity === "error"));
    return 1;
  }

  if (options.transferMode === "sync" && !options.force) await refuseSyncIntoFilledDirectory(ctx, loaded.config, task, options.path);

  if (!options.write) {
    if (ctx.json) printJson(ctx, { name: result.name, entry: result.entry, written: false });
    else {
      // stdout is the entry alone, so it can be piped or pasted; the hint goes beside it.
      ctx.stdout.write(result.entry);
      if (!ctx.quiet) ctx.stderr.write(`(Not written: paste it under tasks:, or run again with --write.)\n`);
    }
    return 0;
  }
  writeConfigFile(ctx, loaded.text, result.text);
  if (ctx.json) printJson(ctx, { name: result.name, entry: result.entry, written: true });
  else say(ctx, `Added task ${result.name} to ${ctx.configName} (enabled: false). Next: cloudsync apply, then cloudsync run ${result.name}.`);
  return 0;
}

/** Replaces the file atomically, keeping its mode; refuses if it changed since it was read. */
function writeConfigFile(ctx: CliContext, before: string, text: string): void {
  const target = realpathSync(ctx.configPath);
  const again = readConfigText(ctx);
  if ("problem" in again || again.text !== before) throw new UserError(`${ctx.configName} changed while restore ran; nothing was written`, "Run the command again.");
  const temp = join(dirname(target), `.${Date.now()}.cloudsync-restore.tmp`);
  try {
    writeDurably(temp, text, "wx");
    chmodSync(temp, statSync(target).mode & 0o7777);
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    throw new UserError(`cannot write ${ctx.configName}: ${(error as Error).message}`);
  }
}

/** Sync deletes what the remote lacks: into a directory with files in it only when asked, after saying how much. */
async function refuseSyncIntoFilledDirectory(ctx: CliContext, config: DesiredConfig, task: string, path: string): Promise<void> {
  let entries: string[];
  try {
    entries = readdirSync(path);
  } catch {
    return; // not there yet: rclone creates it
  }
  if (entries.length === 0) return;
  const spec = reversedSpec(config.tasks[task]!, path, "sync");
  const invocation = buildInvocation(spec, remoteConfig(config.credentials[spec.credential]!, spec), { dryRun: true, filterFile: null, localSource: null });
  const doomed: string[] = [];
  let deletes: number | null = null;
  try {
    const outcome = await runRclone(config.settings.rclone, invocation, ctx.env, {
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
  throw new UserError(`${path} is not empty, and restoring with sync makes it equal to the remote: ${what}`, "Restore into an empty directory, use --transfer-mode copy, or pass --force.");
}
