import { findRun, followLog, readLog } from "../../app/logs.js";
import type { CliContext } from "../context.js";

export interface LogsOptions {
  run?: string;
  follow?: boolean;
}

export async function logsCommand(ctx: CliContext, task: string, options: LogsOptions): Promise<number> {
  const ref = await findRun(ctx.workspace, task, options.run);
  if (!options.follow) {
    ctx.stdout.write(readLog(ref).chunk);
    return 0;
  }
  for await (const chunk of followLog(ref)) ctx.stdout.write(chunk);
  return 0;
}
