import { init, SCHEMA_FILE } from "../../app/init.js";
import type { CliContext } from "../context.js";
import { say } from "../output.js";

export async function initCommand(ctx: CliContext): Promise<number> {
  const { schemaWritten } = await init(ctx.workspace);
  say(ctx, `Wrote ${ctx.configName}${schemaWritten ? ` and ${SCHEMA_FILE} (for your editor)` : ""}. Next: edit it, then "cloudsync validate" and "cloudsync plan".`);
  return 0;
}
