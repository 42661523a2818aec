import { runEphemeral, type RunOptions } from "../app/run.js";
import { recordJson, runJson } from "../views/record.js";
import type { CliContext } from "./context.js";
import { waitForNotifications, withInterrupts } from "./interrupt.js";
import { printJson } from "./output.js";

/**
 * `run TASK --ephemeral` (and `check TASK --ephemeral`): from the file as it
 * stands, for a container with no state. The result is the JSON of --json on
 * stdout; the run's log follows on stderr (its directory goes with the run),
 * where a pod's log shows it.
 */
export async function runEphemeralCommand(ctx: CliContext, task: string, options: Omit<RunOptions, "signal">): Promise<number> {
  const { value, interrupted } = await withInterrupts(ctx, options.kind ?? "run", (signal) => runEphemeral(ctx.workspace, task, { ...options, signal }));
  if (!ctx.quiet) ctx.stderr.write(value.log);
  printJson(ctx, value.record.kind === "check" ? recordJson(value.record) : runJson(value.record));
  await waitForNotifications(ctx);
  if (interrupted === "SIGINT") return 130;
  return value.record.state === "SUCCESS" ? 0 : 1;
}
