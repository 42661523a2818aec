import { abort } from "../../app/abort.js";
import { describeHolder } from "../../model/lock.js";
import type { CliContext } from "../context.js";
import { say } from "../output.js";

/** Stops a run of TASK in progress, in whichever process runs it, and waits until it has stopped. */
export async function abortCommand(ctx: CliContext, task: string): Promise<number> {
  const result = await abort(ctx.workspace, task, (holder, run) => say(ctx, `Stopping ${task}${run ? ` (run ${run.id})` : ""}, run by ${describeHolder(holder)}…`));
  if (result.outcome === "cleaned") say(ctx, `The run ${result.records.map((r) => r.id).join(", ")} of ${task} was left by a process that died; it is now marked ABORTED.`);
  else say(ctx, `Stopped${result.record ? `: run ${result.record.id} ended ${result.record.state}` : ""}.`);
  return 0;
}
