import { resolve } from "node:path";
import { restore } from "../../app/restore.js";
import { restoreAt } from "../../app/versions.js";
import { UserError } from "../../errors.js";
import type { RestoreMode } from "../../model/restore.js";
import { restoreJson } from "../../views/restore.js";
import { renderRestoreAt, restoreAtJson } from "../../views/versions.js";
import type { CliContext } from "../context.js";
import { printDiagnostics, printJson, say } from "../output.js";

export interface RestoreCommandOptions {
  path?: string;
  transferMode?: RestoreMode;
  name?: string;
  description?: string;
  write?: boolean;
  force?: boolean;
  at?: string;
  to?: string;
  dryRun?: boolean;
  from?: string;
}

/** The options of one form of restore given to the other, named. */
function misplaced(options: RestoreCommandOptions, names: (keyof RestoreCommandOptions)[]): string[] {
  const flag = (name: string) => `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  return names.filter((name) => options[name] !== undefined).map(flag);
}

/**
 * `restore TASK --path DIR`: the reversed task that brings the files back (printed, or added with --write).
 * `restore TASK --at TIME --to DIR [--path SUB]`: the destination as it was at TIME, written into DIR.
 */
export async function restoreCommand(ctx: CliContext, task: string, options: RestoreCommandOptions): Promise<number> {
  if (options.at !== undefined) {
    const wrong = misplaced(options, ["transferMode", "name", "description", "write", "force"]);
    if (wrong.length > 0) throw new UserError(`${wrong.join(", ")} ${wrong.length === 1 ? "belongs" : "belong"} to restore --path DIR (the reversed task), not to restore --at`);
    if (options.to === undefined) throw new UserError("restore --at needs --to DIR: the new or empty local directory to write the files into");
    const result = await restoreAt(ctx.workspace, task, { at: options.at, path: options.path, to: resolve(ctx.cwd, options.to), dryRun: options.dryRun, from: options.from });
    if (ctx.json) printJson(ctx, restoreAtJson(result));
    else say(ctx, renderRestoreAt(result, null));
    return 0;
  }
  const wrong = misplaced(options, ["to", "dryRun"]);
  if (wrong.length > 0) throw new UserError(`${wrong.join(", ")} ${wrong.length === 1 ? "belongs" : "belong"} to restore --at TIME (a point in time)`);
  if (options.path === undefined) throw new UserError("restore needs --path DIR (the reversed task), or --at TIME --to DIR (the destination as it was)");
  const result = await restore(ctx.workspace, task, { ...options, path: options.path, transferMode: options.transferMode ?? "copy" });
  printDiagnostics(ctx, result.diagnostics);
  if (ctx.json) printJson(ctx, restoreJson(result));
  else if (result.written) say(ctx, `Added task ${result.name} to ${ctx.configName} (enabled: false). Next: cloudsync apply, then cloudsync run ${result.name}.`);
  else {
    // stdout is the entry alone, so it can be piped or pasted; the hint goes beside it.
    ctx.stdout.write(result.entry);
    if (!ctx.quiet) ctx.stderr.write(`(Not written: paste it under tasks:, or run again with --write.)\n`);
  }
  return 0;
}
