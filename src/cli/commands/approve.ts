import { approve } from "../../app/versions.js";
import { approvalJson, approvalLine } from "../../views/versions.js";
import type { CliContext } from "../context.js";
import { printJson, say } from "../output.js";

/** `approve TASK`: the next run of a task whose last run was HELD may delete beyond max_delete, once. */
export async function approveCommand(ctx: CliContext, task: string): Promise<number> {
  const approval = await approve(ctx.workspace, task);
  if (ctx.json) printJson(ctx, approvalJson(approval));
  else say(ctx, approvalLine(approval));
  return 0;
}
