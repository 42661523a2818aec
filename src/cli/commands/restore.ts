import { restore, type RestoreOptions } from "../../app/restore.js";
import { restoreJson } from "../../views/restore.js";
import type { CliContext } from "../context.js";
import { printDiagnostics, printJson, say } from "../output.js";

export async function restoreCommand(ctx: CliContext, task: string, options: RestoreOptions): Promise<number> {
  const result = await restore(ctx.workspace, task, options);
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
