import { editorSchema, writeSchema } from "../../app/schema.js";
import type { CliContext } from "../context.js";
import { printJson, say } from "../output.js";

export interface SchemaOptions {
  write?: boolean;
}

/** `schema`: the editor schema for the rclone in use, printed, or written beside the file with --write. */
export async function schemaCommand(ctx: CliContext, options: SchemaOptions = {}): Promise<number> {
  if (!options.write) {
    ctx.stdout.write((await editorSchema(ctx.workspace)).text);
    return 0;
  }
  const written = await writeSchema(ctx.workspace, { replace: true });
  if (ctx.json) printJson(ctx, { path: written.path, rclone_version: written.rcloneVersion });
  else say(ctx, `Wrote ${written.path} (rclone ${written.rcloneVersion}'s backends). Point the file's first line at it: # yaml-language-server: $schema=./cloudsync.schema.json`);
  return 0;
}
