import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { messages } from "../config/messages.js";
import { STARTER } from "../config/starter.js";
import { fsReason, UserError } from "../errors.js";
import type { Workspace } from "./workspace.js";

/** The JSON Schema of the file, as editors read it (accepting ${…} wherever the file does). */
export async function schemaText(): Promise<string> {
  const { default: schema } = await import("../../schema/cloudsync.schema.json", { with: { type: "json" } });
  return `${JSON.stringify(schema, null, 2)}\n`;
}

export const SCHEMA_FILE = "cloudsync.schema.json";

/**
 * Writes the commented starter configuration, never over an existing file,
 * and the schema its first line points at, so an editor checks it at once.
 * Returns whether the schema was written (an existing one is left alone).
 */
export async function init(ws: Pick<Workspace, "configPath" | "configName">): Promise<{ schemaWritten: boolean }> {
  try {
    writeFileSync(ws.configPath, STARTER, { flag: "wx", mode: 0o644 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") throw new UserError(`${ws.configName} ${messages.exists()}`);
    throw new UserError(`cannot write ${ws.configName}: ${fsReason(error)}`);
  }
  try {
    writeFileSync(join(dirname(ws.configPath), SCHEMA_FILE), await schemaText(), { flag: "wx", mode: 0o644 });
    return { schemaWritten: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return { schemaWritten: false };
    throw new UserError(`cannot write ${SCHEMA_FILE}: ${fsReason(error)}`);
  }
}
