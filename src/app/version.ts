import { peekSetting } from "../config/load.js";
import { onPath } from "../process/which.js";
import { rcloneVersion } from "../rclone/version.js";
import { VERSION } from "../version.js";
import { readConfigText, type Workspace } from "./workspace.js";

export interface Versions {
  cloudsync: string;
  rclone: { command: string; path: string | null; version: string | null };
}

/** cloudsync's version and the rclone it would run: settings.rclone of the file when it says, else rclone on PATH. */
export async function versions(ws: Pick<Workspace, "env" | "configPath" | "configName">, cwd: string): Promise<Versions> {
  const read = readConfigText(ws);
  const command = ("text" in read ? peekSetting(read.text, "rclone") : null) ?? "rclone";
  const path = onPath(command, ws.env, cwd);
  const version = path ? await rcloneVersion(path, ws.env) : null;
  return { cloudsync: VERSION, rclone: { command, path, version: version === "unknown" ? null : version } };
}
