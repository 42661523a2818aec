import { StringDecoder } from "node:string_decoder";
import { destinationLines, findRun, followLog, readLog } from "../../app/logs.js";
import { UserError } from "../../errors.js";
import { recordJson } from "../../views/record.js";
import type { CliContext } from "../context.js";
import { printJson } from "../output.js";

export interface LogsOptions {
  run?: string;
  follow?: boolean;
  destination?: string;
}

/**
 * `logs TASK`: the log as it is. With --json, one object (the run's record and its log);
 * with --json --follow, one JSON line per addition ({"log"}), then the run's record ({"run"}) once it has ended.
 */
export async function logsCommand(ctx: CliContext, task: string, options: LogsOptions): Promise<number> {
  const ref = await findRun(ctx.workspace, task, options.run);
  if (options.destination !== undefined && !ref.record.destinations?.[options.destination]) {
    throw new UserError(`run ${ref.record.id} of ${task} went to no destination "${options.destination}"`, ref.record.destinations ? `Its destinations: ${Object.keys(ref.record.destinations).join(", ")}.` : "Its task writes to one place: leave --destination out.");
  }
  const only = options.destination === undefined ? (chunk: Buffer) => chunk : destinationLines(options.destination);
  if (!options.follow) {
    const log = only(readLog(ref).chunk, true);
    if (ctx.json) printJson(ctx, { task, run: recordJson(ref.record), log: log.toString("utf8") });
    else ctx.stdout.write(log);
    return 0;
  }
  // A character split between two additions is held back until its end arrives.
  const decoder = new StringDecoder("utf8");
  for await (const whole of followLog(ref)) {
    const chunk = only(whole);
    if (chunk.length > 0) ctx.stdout.write(ctx.json ? `${JSON.stringify({ log: decoder.write(chunk) })}\n` : chunk);
  }
  if (ctx.json) ctx.stdout.write(`${JSON.stringify({ run: recordJson(ref.records.seen(task).find((r) => r.id === ref.record.id) ?? ref.record) })}\n`);
  return 0;
}
