import { run } from "../../app/run.js";
import { runEphemeralCommand } from "../ephemeral.js";
import { outcomeLine, recordJson } from "../../views/record.js";
import type { CliContext } from "../context.js";
import { waitForNotifications, withInterrupts } from "../interrupt.js";
import { painter, printJson, say } from "../output.js";

export interface CheckOptions {
  download?: boolean;
  ephemeral?: boolean;
  scheduled?: boolean;
  destination?: string;
}

/** `check TASK`: does the remote hold what the task's source holds? Exit 0 when everything matches. */
export async function checkCommand(ctx: CliContext, task: string, options: CheckOptions): Promise<number> {
  const trigger = options.scheduled ? "schedule" : "manual";
  if (options.ephemeral) return runEphemeralCommand(ctx, task, { kind: "check", download: options.download === true, trigger, destination: options.destination });
  if (!ctx.quiet && !ctx.json) ctx.stderr.write(`Checking ${task}${options.download ? " byte for byte (downloading)" : ""}…\n`);
  const { value: record, interrupted } = await withInterrupts(ctx, "check", (signal) => run(ctx.workspace, task, { kind: "check", download: options.download === true, trigger, signal, destination: options.destination }));
  if (ctx.json) printJson(ctx, recordJson(record));
  else {
    const line = outcomeLine(record);
    say(ctx, record.state === "SUCCESS" ? line : painter(ctx.colorStdout)(record.state === "ABORTED" ? "yellow" : "red", line));
    if (record.state !== "SUCCESS") say(ctx, `What differs: cloudsync logs ${task} --run ${record.id}`);
  }
  await waitForNotifications(ctx);
  if (interrupted === "SIGINT") return 130;
  return record.state === "SUCCESS" ? 0 : 1;
}
