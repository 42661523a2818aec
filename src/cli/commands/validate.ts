import { validate } from "../../app/validate.js";
import type { CliContext } from "../context.js";
import { printDiagnostics, printJson, say } from "../output.js";
import { validateJson, validateSummary } from "../../views/validate.js";

export async function validateCommand(ctx: CliContext): Promise<number> {
  const result = await validate(ctx.workspace);
  if (ctx.json) {
    printJson(ctx, validateJson(result));
    return result.valid ? 0 : 1;
  }
  printDiagnostics(ctx, result.diagnostics);
  const summary = validateSummary(result, ctx.configName);
  if (summary.ok) say(ctx, summary.line);
  else ctx.stderr.write(`${summary.line}\n`);
  return result.valid ? 0 : 1;
}
