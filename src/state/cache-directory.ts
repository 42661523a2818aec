// Where cloudsync keeps what it can always rebuild (rclone's backend table, Node's compiled code).
import { isAbsolute, join } from "node:path";

/** $XDG_CACHE_HOME/cloudsync, else ~/.cache/cloudsync (~/Library/Caches on macOS); null without a home. */
export function cacheDirectory(env: NodeJS.ProcessEnv): string | null {
  if (env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME)) return join(env.XDG_CACHE_HOME, "cloudsync");
  if (!env.HOME) return null;
  return process.platform === "darwin" ? join(env.HOME, "Library", "Caches", "cloudsync") : join(env.HOME, ".cache", "cloudsync");
}
