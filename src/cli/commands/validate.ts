import { hasErrors } from "../../config/diagnostics.js";
import { loadConfigFile } from "../config-file.js";
import type { CliContext } from "../context.js";
import { printDiagnostics, printJson, say } from "../output.js";

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

export async function validateCommand(ctx: CliContext): Promise<number> {
  const { diagnostics, config } = await loadConfigFile(ctx);
  const valid = !hasErrors(diagnostics);
  if (ctx.json) {
    printJson(ctx, { valid, diagnostics });
    return valid ? 0 : 1;
  }
  printDiagnostics(ctx, diagnostics);
  if (config) {
    say(ctx, `${ctx.configName} is valid: ${plural(Object.keys(config.credentials).length, "credential")}, ${plural(Object.keys(config.tasks).length, "task")}.`);
  } else {
    ctx.stderr.write(`${ctx.configName}: ${plural(diagnostics.filter((d) => d.severity === "error").length, "error")}; nothing was changed.\n`);
  }
  return valid ? 0 : 1;
}
