import { listVersions, pruneVersions, versionsOfPath } from "../../app/versions.js";
import { renderPathVersions, renderVersions, pathVersionsJson, versionsJson } from "../../views/versions.js";
import type { CliContext } from "../context.js";
import { printJson, say } from "../output.js";

export interface VersionsOptions {
  prune?: boolean;
  from?: string;
}

/** `versions TASK [PATH] [--prune]`: what the task's destination keeps of what runs replaced. */
export async function versionsCommand(ctx: CliContext, task: string, path: string | undefined, options: VersionsOptions): Promise<number> {
  if (options.prune) {
    const pruned = await pruneVersions(ctx.workspace, task, options.from);
    if (ctx.json) printJson(ctx, pruned);
    else say(ctx, pruned.removed.length === 0 ? `Nothing to remove: ${pruned.kept} version folder${pruned.kept === 1 ? "" : "s"} of ${task}, none expired.` : `Removed ${pruned.removed.length} expired version folder${pruned.removed.length === 1 ? "" : "s"} of ${task} (${pruned.removed.join(", ")}); ${pruned.kept} kept.`);
    return 0;
  }
  if (path !== undefined) {
    const found = await versionsOfPath(ctx.workspace, task, path, options.from);
    if (ctx.json) printJson(ctx, pathVersionsJson(found));
    else say(ctx, renderPathVersions(found, null));
    return 0;
  }
  const report = await listVersions(ctx.workspace, task, options.from);
  if (ctx.json) printJson(ctx, versionsJson(report));
  else say(ctx, renderVersions(report, null));
  return 0;
}
