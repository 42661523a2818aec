import { servingService, status } from "../../app/status.js";
import { describeHolder } from "../../model/lock.js";
import { renderStatus, statusJson } from "../../views/status.js";
import type { CliContext } from "../context.js";
import { printJson, say } from "../output.js";

export interface StatusOptions {
  /** Only whether a service serves the state directory: exit 1 when none does (container health checks). */
  service?: boolean;
}

export async function statusCommand(ctx: CliContext, options: StatusOptions = {}): Promise<number> {
  if (options.service) {
    const serving = await servingService(ctx.workspace);
    if (ctx.json) printJson(ctx, { state_dir: serving.state_dir, service: serving.service && { pid: serving.service.pid, host: serving.service.host, since: serving.service.since } });
    else if (serving.service) say(ctx, `Served by ${describeHolder(serving.service)}.`);
    else ctx.stderr.write(`No cloudsync watch is serving ${serving.state_dir}.\n`);
    return serving.service ? 0 : 1;
  }
  const report = await status(ctx.workspace);
  if (ctx.json) printJson(ctx, statusJson(report));
  else say(ctx, renderStatus(report, ctx.configName));
  return 0;
}
