import { history } from "../../app/history.js";
import { UserError } from "../../errors.js";
import { historyJson, renderHistory } from "../../views/history.js";
import type { CliContext } from "../context.js";
import { printJson, say } from "../output.js";

export interface HistoryOptions {
  limit?: string;
}

export async function historyCommand(ctx: CliContext, task: string | undefined, options: HistoryOptions): Promise<number> {
  const limit = options.limit === undefined ? undefined : Number(options.limit);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) throw new UserError(`--limit must be a whole number of at least 1, not "${options.limit}"`);
  const records = await history(ctx.workspace, { task, limit });
  if (ctx.json) printJson(ctx, historyJson(records));
  else say(ctx, renderHistory(records, null));
  return 0;
}
