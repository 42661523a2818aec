import type { CliContext } from "../context.js";

export async function schemaCommand(ctx: CliContext): Promise<number> {
  const { default: schema } = await import("../../../schema/cloudsync.schema.json", { with: { type: "json" } });
  ctx.stdout.write(`${JSON.stringify(schema, null, 2)}\n`);
  return 0;
}
