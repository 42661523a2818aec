// The backends of the rclone a configuration runs, so a credential is checked
// against what that rclone accepts (newer backends and options included), not
// only against the table cloudsync was built with. Asking rclone costs two
// process starts, so the answer is kept in the user's cache directory, keyed by
// the binary (path, size, modification time): a new rclone is asked again.
import { statSync } from "node:fs";
import { join } from "node:path";
import { BackendCatalog, BUNDLED_BACKENDS } from "../model/backends.js";
import type { BackendTable } from "../model/backend-types.js";
import { backendTableFrom, isProviderList, type RcloneProvider } from "../model/rclone-providers.js";
import { runCaptured } from "../process/run.js";
import { onPath } from "../process/which.js";
import { cacheDirectory, shortHash } from "../state/cache-directory.js";
import { makePrivateDirectory } from "../state/durable.js";
import { readOwnFile, replaceFile } from "../state/private-files.js";
import { rcloneVersion } from "./version.js";

/** Bumped when the cached shape changes, so an old cache is asked again rather than misread. */
const CACHE_FORMAT = 1;

interface CacheEntry {
  format: number;
  /** The binary the entry describes. */
  binary: string;
  /** rclone's version without the leading v (`1.68.2`). */
  version: string;
  /** null: the same version as the bundled table. */
  backends: BackendTable | null;
}

function catalogOf(entry: Pick<CacheEntry, "version" | "backends">): BackendCatalog {
  return entry.backends === null ? BUNDLED_BACKENDS : new BackendCatalog(entry.backends, entry.version);
}

function readCache(file: string, binary: string): CacheEntry | null {
  try {
    const entry = JSON.parse(readOwnFile(file)?.toString("utf8") ?? "null") as CacheEntry;
    const shaped = entry.format === CACHE_FORMAT && entry.binary === binary && typeof entry.version === "string" && (entry.backends === null || typeof entry.backends === "object");
    return shaped ? entry : null;
  } catch {
    return null;
  }
}

/** Kept for next time when it can be; a cache that cannot be written only costs a little time. */
function writeCache(file: string, entry: CacheEntry): void {
  try {
    makePrivateDirectory(join(file, ".."));
    replaceFile(file, JSON.stringify(entry), { mode: 0o600 });
  } catch {
    // read-only home, full disk: ask rclone again next time
  }
}

/** `rclone config providers` of the rclone at `path`; null when it cannot say. */
async function listProviders(path: string, env: NodeJS.ProcessEnv): Promise<RcloneProvider[] | null> {
  const listed = await runCaptured({ command: path, args: ["config", "providers"], env: { ...env, RCLONE_CONFIG: "/dev/null" }, timeoutMs: 20_000, graceMs: 1_000 }).catch(() => null);
  if (!listed || listed.code !== 0) return null;
  try {
    const providers: unknown = JSON.parse(listed.stdout);
    return isProviderList(providers) ? providers : null;
  } catch {
    return null;
  }
}

/** What the rclone at `path` says about itself; null when it cannot say (the bundled table is used then). */
async function askRclone(path: string, env: NodeJS.ProcessEnv): Promise<Omit<CacheEntry, "format" | "binary"> | null> {
  const version = (await rcloneVersion(path, env)).replace(/^v/, "");
  if (version === "unknown") return null;
  if (version === BUNDLED_BACKENDS.rcloneVersion) return { version, backends: null };
  const providers = await listProviders(path, env);
  return providers ? { version, backends: backendTableFrom(providers) } : null;
}

async function load(path: string, binary: string, env: NodeJS.ProcessEnv): Promise<BackendCatalog> {
  const directory = cacheDirectory(env);
  const file = directory && join(directory, `rclone-backends-${shortHash(binary)}.json`);
  const cached = file ? readCache(file, binary) : null;
  if (cached) return catalogOf(cached);
  const answer = await askRclone(path, env);
  if (!answer) return BUNDLED_BACKENDS;
  if (file) writeCache(file, { format: CACHE_FORMAT, binary, ...answer });
  return catalogOf(answer);
}

const known = new Map<string, Promise<BackendCatalog>>();

/** The binary as found now: a replaced rclone (an upgrade under a running service) is a new one. */
function identify(path: string): string | null {
  try {
    const stat = statSync(path);
    return `${path} ${stat.size} ${stat.mtimeMs} ${stat.ino}`;
  } catch {
    return null;
  }
}

/**
 * The backends of the rclone `command` names (settings.rclone, or rclone on
 * PATH), asked once per binary; the bundled table when there is no such
 * rclone or it cannot say.
 */
export function backendCatalog(command: string, env: NodeJS.ProcessEnv, cwd = process.cwd()): Promise<BackendCatalog> {
  const path = onPath(command, env, cwd);
  const binary = path && identify(path);
  if (!path || !binary) return Promise.resolve(BUNDLED_BACKENDS);
  let catalog = known.get(binary);
  if (!catalog) {
    catalog = load(path, binary, env);
    known.set(binary, catalog);
  }
  return catalog;
}

/**
 * rclone's own description of its backends, for a schema of them; null when
 * `command` names no rclone here, it cannot say, or it is the rclone the bundled table describes.
 */
export async function rcloneProviders(command: string, env: NodeJS.ProcessEnv, cwd = process.cwd()): Promise<{ version: string; providers: RcloneProvider[] } | null> {
  const path = onPath(command, env, cwd);
  if (!path) return null;
  const version = (await rcloneVersion(path, env)).replace(/^v/, "");
  if (version === "unknown" || version === BUNDLED_BACKENDS.rcloneVersion) return null;
  const providers = await listProviders(path, env);
  return providers ? { version, providers } : null;
}
