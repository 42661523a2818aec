import { accessSync, constants, realpathSync } from "node:fs";
import { delimiter, isAbsolute, join, resolve } from "node:path";

/** The executable a command names, as the shell would find it on PATH; null if there is none. */
export function onPath(command: string, env: NodeJS.ProcessEnv, cwd: string): string | null {
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

/** How this cloudsync was started, absolute (node and the CLI's script), for units and jobs that start it later. */
export function thisCloudsync(): string[] {
  return [process.execPath, realpathSync(process.argv[1]!)];
}
