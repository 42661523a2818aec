// V8's code cache for the CLI's bundle. The CLI starts often and briefly, and compiling the same
// code again at every start was about a fifth of a `validate` of 1,000 tasks. Node 20 keeps no
// compiled code between runs; Node 22+'s compile cache keeps a module's code as compiled before
// it ran, without the functions compiled while it ran. Here the cache is written after the
// command ran, with everything it compiled, one per command (what `plan` compiles is not what
// `status` does).
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { Script } from "node:vm";
import { crc32 } from "node:zlib";
import { shortHash } from "../state/cache-directory.js";
import { readOwnFile, replaceFile } from "../state/private-files.js";

/**
 * What compiled code belongs to. V8 refuses code of another V8 or made under other flags (so runs
 * with and without a flag would replace each other's at every start), and checks only a script's
 * length, not its text.
 */
export interface CodeIdentity {
  /** The bundle's content hash, made by the build. */
  bundle: string;
  v8: string;
  arch: string;
  /** Node's and V8's options for this process (its command line and NODE_OPTIONS). */
  flags: string;
  /** Where the bundle is: compiled code names its script, so a stack trace would name another checkout's files. */
  path: string;
}

/** Where the compiled code of `command`'s runs of this bundle is kept, under the user's cache directory; null: none kept. */
export function codeCacheFile(cacheDirectory: string | null, identity: CodeIdentity, command: string): string | null {
  if (cacheDirectory === null) return null;
  const place = shortHash(`${identity.path}\0${identity.flags}`).slice(0, 8);
  return join(cacheDirectory, "code", `${identity.bundle}-v8-${identity.v8}-${identity.arch}-${place}`, `${command}.bin`);
}

/**
 * Runs the CommonJS bundle `file` with `require` and returns its exports, compiled from the code in `cacheFile` when
 * there is a usable one; otherwise the code compiled by this run is kept there when the process exits.
 */
export function loadBundle(file: string, cacheFile: string | null, require: (id: string) => unknown): Record<string, unknown> {
  // The bundle is ASCII (the build checks it), so reading it as Latin-1 is exact and V8 keeps it one byte per character.
  const source = readFileSync(file, "latin1");
  // Only this user's regular file, that nobody else may write (code is run from it), never a FIFO or a link.
  const cachedData = cacheFile === null ? undefined : intact(readOwnFile(cacheFile));
  // The build wrote the bundle as a CommonJS module's function: `(function (exports, require, module, __filename, __dirname) {…})`.
  const script = new Script(source, { filename: file, cachedData });
  if (cacheFile !== null && (cachedData === undefined || script.cachedDataRejected)) process.once("exit", () => keep(script, cacheFile));
  const module = { exports: {} as Record<string, unknown> };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, require, module, file, dirname(file));
  return module.exports;
}

/**
 * The code in a cache file, if its checksum holds. V8 checks its version and flags but not the code itself
 * (not in release builds): a damaged file would crash every start until someone deleted it.
 */
function intact(file: Buffer | undefined): Buffer | undefined {
  if (file === undefined || file.length < 4) return undefined;
  const code = file.subarray(0, file.length - 4);
  return crc32(code) === file.readUInt32LE(file.length - 4) ? code : undefined;
}

/** Writes the code the script has compiled so far with its checksum, atomically (other runs may be reading or writing it). */
function keep(script: Script, cacheFile: string): void {
  try {
    const directory = dirname(cacheFile);
    if (mkdirSync(directory, { recursive: true, mode: 0o700 }) !== undefined) removeOutdated(directory);
    const code = script.createCachedData();
    const checksum = Buffer.alloc(4);
    checksum.writeUInt32LE(crc32(code));
    replaceFile(cacheFile, Buffer.concat([code, checksum]), { mode: 0o600 });
  } catch {
    // A cache that cannot be kept (another user's home, a read-only one, a full disk) costs time, never the
    // command: this runs as the process exits, where anything thrown would end in a stack trace.
  }
}

/** Code of this many bundles and Nodes is kept: two installations used in turn must not evict each other at every run. */
const KEPT_IDENTITIES = 4;

/** A new bundle or Node: the code of the oldest others goes, and Node's compile cache that earlier versions kept. */
function removeOutdated(current: string): void {
  const codeRoot = dirname(current);
  const others = readdirSync(codeRoot)
    .filter((entry) => entry !== basename(current))
    .map((entry) => ({ path: join(codeRoot, entry), made: statSync(join(codeRoot, entry)).mtimeMs }))
    .sort((a, b) => b.made - a.made);
  for (const { path } of others.slice(KEPT_IDENTITIES - 1)) rmSync(path, { recursive: true, force: true });
  rmSync(join(dirname(codeRoot), "compiled"), { recursive: true, force: true });
}
