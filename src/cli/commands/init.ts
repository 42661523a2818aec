import { init } from "../../app/init.js";
import type { CliContext } from "../context.js";
import { say } from "../output.js";

export function initCommand(ctx: CliContext): number {
  init(ctx.workspace);
  say(ctx, `Wrote ${ctx.configName}. Next: edit it, then "cloudsync validate" and "cloudsync plan".`);
  return 0;
}
