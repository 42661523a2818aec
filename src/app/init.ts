import { writeFileSync } from "node:fs";
import { messages } from "../config/messages.js";
import { STARTER } from "../config/starter.js";
import { fsReason, UserError } from "../errors.js";
import type { Workspace } from "./workspace.js";

/** Writes the commented starter configuration, never over an existing file. */
export function init(ws: Pick<Workspace, "configPath" | "configName">): void {
  try {
    writeFileSync(ws.configPath, STARTER, { flag: "wx", mode: 0o644 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") throw new UserError(`${ws.configName} ${messages.exists()}`);
    throw new UserError(`cannot write ${ws.configName}: ${fsReason(error)}`);
  }
}
