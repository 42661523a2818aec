// The JSON Schema editors check the file with: the bundled one, or one made for
// the rclone the file runs, so that the editor accepts what `validate` accepts
// (a newer rclone's backends and options) and flags the same typos.
import { writeFileSync, renameSync } from "node:fs";
import { dirname, join } from "node:path";
import { schemaForRclone } from "../config/backend-schema.js";
import { peekSetting } from "../config/load.js";
import type { SchemaNode } from "../config/schema-references.js";
import { fsReason, UserError } from "../errors.js";
import { rcloneProviders } from "../rclone/backends.js";
import { readConfigText, type Workspace } from "./workspace.js";

export const SCHEMA_FILE = "cloudsync.schema.json";

export interface EditorSchema {
  text: string;
  /** The rclone version whose backends it describes. */
  rcloneVersion: string;
}

/** The schema for the rclone the file names (settings.rclone, else rclone on PATH); the bundled one when that rclone is the bundled table's, or absent. */
export async function editorSchema(ws: Pick<Workspace, "env" | "configPath" | "configName">): Promise<EditorSchema> {
  const { default: bundled } = await import("../../schema/cloudsync.schema.json", { with: { type: "json" } });
  const read = readConfigText(ws);
  const command = ("text" in read ? peekSetting(read.text, "rclone") : null) ?? "rclone";
  const other = await rcloneProviders(command, ws.env, dirname(ws.configPath));
  const schema = other ? schemaForRclone(bundled as SchemaNode, other.providers, other.version) : bundled;
  return { text: `${JSON.stringify(schema, null, 2)}\n`, rcloneVersion: String((schema as SchemaNode)["x-rclone-version"]) };
}

export interface WrittenSchema extends EditorSchema {
  path: string;
  /** False when a schema was there and `replace` was not asked. */
  written: boolean;
}

/** Writes the editor schema beside the configuration file (atomically); an existing one only when `replace`. */
export async function writeSchema(ws: Pick<Workspace, "env" | "configPath" | "configName">, options: { replace: boolean }): Promise<WrittenSchema> {
  const schema = await editorSchema(ws);
  const path = join(dirname(ws.configPath), SCHEMA_FILE);
  try {
    if (options.replace) {
      const temporary = `${path}.${process.pid}.tmp`;
      writeFileSync(temporary, schema.text, { flag: "wx", mode: 0o644 });
      renameSync(temporary, path);
    } else writeFileSync(path, schema.text, { flag: "wx", mode: 0o644 });
  } catch (error) {
    if (!options.replace && (error as NodeJS.ErrnoException).code === "EEXIST") return { ...schema, path, written: false };
    throw new UserError(`cannot write ${path}: ${fsReason(error)}`);
  }
  return { ...schema, path, written: true };
}
