import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { messages } from "../config/messages.js";
import { STARTER } from "../config/starter.js";
import { fsReason, UserError } from "../errors.js";
import { writeSchema } from "./schema.js";
import type { Workspace } from "./workspace.js";

/** The state directory the starter file uses: applied values (secrets among them), records and logs, never for git. */
const IGNORED = ".cloudsync/";

export interface InitResult {
  /** Whether the editor schema was written (an existing one is left alone). */
  schemaWritten: boolean;
  /** The rclone version the schema describes. */
  rcloneVersion: string;
  /** Whether .gitignore was written or extended (one that already ignores the state directory is left alone). */
  gitignoreWritten: boolean;
}

/** Adds the state directory to the .gitignore beside the file (made if missing): only a line is added. */
function ignoreStateDirectory(dir: string): boolean {
  const path = join(dir, ".gitignore");
  let existing = "";
  try {
    existing = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw new UserError(`cannot read ${path}: ${fsReason(error)}`);
  }
  const lines = existing.split(/\r?\n/).map((line) => line.trim());
  if (lines.some((line) => line === IGNORED || line === IGNORED.slice(0, -1) || line === `/${IGNORED}` || line === `/${IGNORED.slice(0, -1)}`)) return false;
  const separator = existing === "" || existing.endsWith("\n") ? "" : "\n";
  try {
    writeFileSync(path, `${existing}${separator}# cloudsync's state: applied values (secrets among them), run records and logs\n${IGNORED}\n`, { mode: 0o644 });
  } catch (error) {
    throw new UserError(`cannot write ${path}: ${fsReason(error)}`);
  }
  return true;
}

/**
 * Writes the commented starter configuration, never over an existing file;
 * the schema its first line points at (for the rclone here), so an editor
 * checks it at once; and a .gitignore that keeps the state directory out of git.
 */
export async function init(ws: Pick<Workspace, "configPath" | "configName" | "env">): Promise<InitResult> {
  try {
    writeFileSync(ws.configPath, STARTER, { flag: "wx", mode: 0o644 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") throw new UserError(`${ws.configName} ${messages.exists()}`);
    throw new UserError(`cannot write ${ws.configName}: ${fsReason(error)}`);
  }
  const schema = await writeSchema(ws, { replace: false });
  const gitignoreWritten = ignoreStateDirectory(dirname(ws.configPath));
  return { schemaWritten: schema.written, rcloneVersion: schema.rcloneVersion, gitignoreWritten };
}
