import { accessSync, constants } from "node:fs";
import { delimiter, isAbsolute, join, resolve } from "node:path";
import { peekSetting } from "../config/load.js";
import { rcloneVersion } from "../rclone/version.js";
import { VERSION } from "../version.js";
import { readConfigText, type Workspace } from "./workspace.js";

export interface Versions {
  cloudsync: string;
  rclone: { command: string; path: string | null; version: string | null };
}

/** The executable a command names, as the shell would find it on PATH; null if there is none. */
function onPath(command: string, env: NodeJS.ProcessEnv, cwd: string): string | null {
  const candidates = command.includes("/") ? [isAbsolute(command) ? command : resolve(cwd, command)] : (env.PATH ?? "").split(delimiter).filter(Boolean).map((dir) => join(dir, command));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not this one
    }
  }
  return null;
}

/** cloudsync's version and the rclone it would run: settings.rclone of the file when it says, else rclone on PATH. */
export async function versions(ws: Pick<Workspace, "env" | "configPath" | "configName">, cwd: string): Promise<Versions> {
  const read = readConfigText(ws);
  const command = ("text" in read ? peekSetting(read.text, "rclone") : null) ?? "rclone";
  const path = onPath(command, ws.env, cwd);
  const version = path ? await rcloneVersion(path, ws.env) : null;
  return { cloudsync: VERSION, rclone: { command, path, version: version === "unknown" ? null : version } };
}
