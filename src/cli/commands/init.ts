import { init } from "../../app/init.js";
import { SCHEMA_FILE } from "../../app/schema.js";
import type { CliContext } from "../context.js";
import { printJson, say } from "../output.js";

export async function initCommand(ctx: CliContext): Promise<number> {
  const result = await init(ctx.workspace);
  if (ctx.json) {
    printJson(ctx, { config: ctx.configName, schema_written: result.schemaWritten, rclone_version: result.rcloneVersion, gitignore_written: result.gitignoreWritten });
    return 0;
  }
  const also = [result.schemaWritten ? `${SCHEMA_FILE} (for your editor, rclone ${result.rcloneVersion})` : null, result.gitignoreWritten ? ".gitignore (keeps the state directory .cloudsync/ out of git)" : null].filter(Boolean);
  say(ctx, `Wrote ${ctx.configName}${also.length > 0 ? ` and ${also.join(" and ")}` : ""}. Next: edit it, then "cloudsync validate" and "cloudsync plan".`);
  return 0;
}
