import { resolve } from "node:path";
import { importFromTrueNas } from "../../app/import.js";
import type { ImportOptions as ImportRequest } from "../../app/import.js";
import type { CliContext } from "../context.js";
import { printDiagnostics, printJson } from "../output.js";

export interface ImportOptions {
  credentials?: string;
  out?: string;
  envOut?: string;
  envFormat?: ImportRequest["envFormat"];
  mergeDestinations?: boolean;
}

/** `import truenas TASKS.json [--credentials FILE] [--out FILE] [--env-out FILE [--env-format shell|docker]]`. */
export async function importTrueNasCommand(ctx: CliContext, tasksFile: string, options: ImportOptions): Promise<number> {
  const at = (path: string | undefined) => (path === undefined ? undefined : resolve(ctx.cwd, path));
  const result = await importFromTrueNas(ctx.workspace, { tasksFile: at(tasksFile)!, credentialsFile: at(options.credentials), out: at(options.out) ?? null, envOut: at(options.envOut) ?? null, envFormat: options.envFormat, mergeDestinations: options.mergeDestinations });
  for (const w of result.warnings) ctx.stderr.write(`warning: ${w.about ? `${w.about}: ` : ""}${w.message}\n`);
  printDiagnostics(ctx, result.diagnostics);
  if (ctx.json) printJson(ctx, { written: options.out ?? null, env_out: options.envOut ?? null, warnings: result.warnings, diagnostics: result.diagnostics, secrets: result.secrets });
  else if (options.out === undefined) ctx.stdout.write(result.text);
  else if (!ctx.quiet) {
    const load = options.envFormat === "docker" ? `docker run --env-file ${options.envOut ?? "YOUR_ENV_FILE"} … (or kubectl create secret generic cloudsync-env --from-env-file=${options.envOut ?? "YOUR_ENV_FILE"})` : `set -a; . ${options.envOut ?? "YOUR_ENV_FILE"}; set +a; cloudsync -c ${options.out} validate`;
    ctx.stderr.write(`Wrote ${options.out}${options.envOut ? ` and ${options.envOut} (mode 0600)` : ""}. Next: ${load}\n`);
  }
  return result.diagnostics.some((d) => d.severity === "error") ? 1 : 0;
}
