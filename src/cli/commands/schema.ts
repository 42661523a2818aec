import { schemaText } from "../../app/init.js";
import type { CliContext } from "../context.js";

export async function schemaCommand(ctx: CliContext): Promise<number> {
  ctx.stdout.write(await schemaText());
  return 0;
}
