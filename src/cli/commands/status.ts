import { status } from "../../app/status.js";
import { renderStatus, statusJson } from "../../views/status.js";
import type { CliContext } from "../context.js";
import { printJson, say } from "../output.js";

export async function statusCommand(ctx: CliContext): Promise<number> {
  const report = await status(ctx.workspace);
  if (ctx.json) printJson(ctx, statusJson(report));
  else say(ctx, renderStatus(report, ctx.configName));
  return 0;
}
