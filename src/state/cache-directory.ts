// Where cloudsync keeps what it can always rebuild (rclone's backend table, Node's compiled code).
import { statSync } from "node:fs";
import { dirname, isAbsolute, join } from "node:path";

/**
 * Whether a directory (or, while it does not exist yet, the nearest existing one above it)
 * and everything above it are safe to keep code in: each owned by this user or root, and
 * writable by nobody else, but for root's sticky directories (/tmp), where others cannot
 * replace what is ours. Otherwise whoever could write there could plant what cloudsync runs
 * (`XDG_CACHE_HOME=/tmp/x` made by another user, a `sudo -E` keeping a user's variables).
 */
export function trustedPlace(path: string): boolean {
  const uid = process.getuid?.();
  if (uid === undefined) return true;
  let seenExisting = false;
  for (let dir = path; ; dir = dirname(dir)) {
    let stat;
    try {
      stat = statSync(dir);
    } catch {
      if (seenExisting) return false;
      if (dir === dirname(dir)) return false;
      continue;
    }
    seenExisting = true;
    if (!stat.isDirectory()) return false;
    if (stat.uid !== uid && stat.uid !== 0) return false;
    const othersWrite = (stat.mode & 0o022) !== 0;
    const rootSticky = stat.uid === 0 && (stat.mode & 0o1000) !== 0;
    if (othersWrite && !rootSticky) return false;
    if (dir === dirname(dir)) return true;
  }
}

/**
 * $XDG_CACHE_HOME/cloudsync, else ~/.cache/cloudsync (~/Library/Caches on macOS);
 * null without a home, or when that place is not safe to keep code in (trustedPlace).
 */
export function cacheDirectory(env: NodeJS.ProcessEnv): string | null {
  const dir =
    env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME)
      ? join(env.XDG_CACHE_HOME, "cloudsync")
      : env.HOME
        ? process.platform === "darwin"
          ? join(env.HOME, "Library", "Caches", "cloudsync")
          : join(env.HOME, ".cache", "cloudsync")
        : null;
  return dir !== null && trustedPlace(dir) ? dir : null;
}

/**
 * FNV-1a (64 bits) of a text, as a short file name: what a cache entry belongs to. Not crypto's
 * sha256: loading crypto costs ~2 ms, which most commands need for nothing else; an entry names
 * what it holds, so a clash only misses the cache.
 */
export function shortHash(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) hash = BigInt.asUintN(64, (hash ^ BigInt(text.charCodeAt(i))) * 0x100000001b3n);
  return hash.toString(16).padStart(16, "0");
}
