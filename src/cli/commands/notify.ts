import { notifyTest } from "../../app/notify.js";
import type { CliContext } from "../context.js";
import { printJson, say } from "../output.js";

export interface NotifyTestOptions {
  task?: string;
}

export async function notifyTestCommand(ctx: CliContext, channel: string, options: NotifyTestOptions): Promise<number> {
  const result = await notifyTest(ctx.workspace, channel, { task: options.task });
  if (ctx.json) printJson(ctx, result);
  else if (result.delivered) say(ctx, `channel ${channel} (${result.type}): delivered`);
  else ctx.stdout.write(`channel ${channel} (${result.type}): NOT delivered — ${result.error}\n`);
  return result.delivered ? 0 : 1;
}
