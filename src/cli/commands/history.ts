import { history, limitOf } from "../../app/history.js";
import { historyJson, renderHistory } from "../../views/history.js";
import type { CliContext } from "../context.js";
import { printJson, say } from "../output.js";

export interface HistoryOptions {
  limit?: string;
}

export async function historyCommand(ctx: CliContext, task: string | undefined, options: HistoryOptions): Promise<number> {
  const limit = limitOf(options.limit, "--limit");
  const records = await history(ctx.workspace, { task, limit });
  if (ctx.json) printJson(ctx, historyJson(records));
  else say(ctx, renderHistory(records, null));
  return 0;
}
