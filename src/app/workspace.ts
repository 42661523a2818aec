// What every operation works on: the configuration file, the state directory,
// the environment, the clock and the event stream, all given as arguments.
import { isUtf8 } from "node:buffer";
import { closeSync, constants, fstatSync, openSync, readSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { Clock } from "../clock.js";
import type { Diagnostic } from "../model/diagnostics.js";
import { loadConfig, peekStateDir, type Environment, type LoadedConfig } from "../config/load.js";
import { messages } from "../config/messages.js";
import type { DesiredConfig, Settings } from "../model/config.js";
import { ConfigError, fsReason } from "../errors.js";
import type { EventBus } from "../events/events.js";
import { sha256 } from "../plan/planfile.js";
import { onPath } from "../process/which.js";
import { backendCatalog } from "../rclone/backends.js";
import type { AppliedState } from "../model/applied-state.js";
import { StateStore } from "../state/store.js";

export interface Workspace {
  /** The configuration file, absolute. */
  configPath: string;
  /** The same as the user named it, for diagnostics. */
  configName: string;
  /** A state directory chosen over the file's (--state-dir, $CLOUDSYNC_STATE_DIR), absolute; null: the file decides. */
  stateDirOverride: string | null;
  env: NodeJS.ProcessEnv;
  clock: Clock;
  events: EventBus;
}

function fileProblem(ws: Pick<Workspace, "configName">, message: string): Diagnostic {
  return { severity: "error", message, file: ws.configName, line: 1, column: 1 };
}

/** Reads the configuration file as text, or says in a diagnostic why it cannot. */
export function readConfigText(ws: Pick<Workspace, "configPath" | "configName">): { text: string } | { problem: Diagnostic } {
  try {
    if (statSync(ws.configPath).isDirectory()) return { problem: fileProblem(ws, messages.isDirectory()) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { problem: fileProblem(ws, code === "ENOENT" || code === "ENOTDIR" ? messages.notFound() : messages.unreadable(fsReason(error))) };
  }
  let bytes: Buffer | null;
  try {
    bytes = readFileAtMost(ws.configPath);
  } catch (error) {
    return { problem: fileProblem(ws, messages.unreadable(fsReason(error))) };
  }
  if (bytes === null) return { problem: fileProblem(ws, messages.tooLarge()) };
  if (bytes.includes(0)) return { problem: fileProblem(ws, messages.binary()) };
  if (!isUtf8(bytes)) return { problem: fileProblem(ws, messages.notUtf8()) };
  // A byte-order mark is no part of the text.
  const text = bytes.toString("utf8");
  return { text: text.startsWith("\uFEFF") ? text.slice(1) : text };
}

/** A secret is small; anything bigger behind ${file:…} is a mistake (or /dev/zero). */
const MAX_REFERENCED_FILE_BYTES = 1024 * 1024;

/** More than any configuration, saved plan or TrueNAS export holds (10,000 tasks are ~4 MB); /dev/zero never ends. */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

/** What `fd` holds up to its end; null when that is more than `limit` bytes (reading stops there). */
function readAtMost(fd: number, limit: number): Buffer | null {
  const stat = fstatSync(fd);
  let buffer = Buffer.allocUnsafe(Math.min(limit + 1, stat.isFile() ? stat.size + 1 : 64 * 1024));
  let length = 0;
  for (;;) {
    if (length === buffer.length) {
      if (length > limit) return null;
      const bigger = Buffer.allocUnsafe(Math.min(limit + 1, 2 * buffer.length));
      buffer.copy(bigger, 0, 0, length);
      buffer = bigger;
    }
    const read = readSync(fd, buffer, length, buffer.length - length, null);
    if (read === 0) return buffer.subarray(0, length);
    length += read;
  }
}

/**
 * Reads a file a user names (a configuration, a saved plan, an export), a pipe such as
 * /dev/stdin included; null when it holds more than `limit` bytes. Throws what the file system says.
 */
export function readFileAtMost(path: string, limit = MAX_INPUT_BYTES): Buffer | null {
  // Standard input as it is: opening /dev/stdin fails when it is a socket (as a parent process may give).
  if (path === "/dev/stdin") return readAtMost(0, limit);
  const fd = openSync(path, "r");
  try {
    return readAtMost(fd, limit);
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads a file named by `${file:…}`: a regular file of at most 1 MiB. It is
 * opened without blocking, so a FIFO or a device is refused at once rather
 * than waited on or read forever.
 */
export function readReferencedFile(path: string): string {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (error) {
    throw new Error(fsReason(error));
  }
  try {
    if (!fstatSync(fd).isFile()) throw new Error("it is not a regular file (${file:…} reads files, not directories, devices or pipes)");
    const bytes = readAtMost(fd, MAX_REFERENCED_FILE_BYTES);
    if (bytes === null) throw new Error("it is larger than 1 MiB, more than any secret");
    return bytes.toString("utf8");
  } catch (error) {
    throw error instanceof Error && !("code" in error) ? error : new Error(fsReason(error));
  } finally {
    closeSync(fd);
  }
}

/** What loading needs from outside: the environment, file reads, and the backends of the rclone the file names. */
export function environmentOf(ws: Pick<Workspace, "env">, options: { allowMissingValues?: boolean } = {}): Environment {
  return {
    ...options,
    env: ws.env,
    readFile: readReferencedFile,
    backendsOf: (rclone) => backendCatalog(rclone, ws.env),
    findsProgram: (command) => onPath(command, ws.env, process.cwd()) !== null,
    localPathKind,
  };
}

function localPathKind(path: string): "directory" | "other" | "missing" {
  try {
    return statSync(path).isDirectory() ? "directory" : "other";
  } catch (error) {
    // Not readable by this user (a root-owned tree under sudo-less review) is not "missing".
    return (error as NodeJS.ErrnoException).code === "ENOENT" || (error as NodeJS.ErrnoException).code === "ENOTDIR" ? "missing" : "directory";
  }
}

export type LoadedFile = LoadedConfig & { text: string | null };

/** Reads and loads the configuration; a file that cannot be read is one more diagnostic. */
export async function loadFile(ws: Workspace, options: { allowMissingValues?: boolean } = {}): Promise<LoadedFile> {
  const read = readConfigText(ws);
  if ("problem" in read) return { diagnostics: [read.problem], config: null, referencedFiles: [], referencedVariables: [], referencedCredentials: [], text: null };
  return { ...(await loadConfig(ws.configName, read.text, environmentOf(ws, options))), text: read.text };
}

export interface ValidFile {
  config: DesiredConfig;
  text: string;
  /** What the file refers to: ${file:…} paths, ${VAR} names and ${credential:…} names. */
  referencedFiles: string[];
  referencedVariables: string[];
  referencedCredentials: string[];
  /** Warnings (a valid file has no errors). */
  diagnostics: Diagnostic[];
}

/** The configuration, or a ConfigError carrying its diagnostics. */
export async function loadValidFile(ws: Workspace, options: { allowMissingValues?: boolean } = {}): Promise<ValidFile> {
  const loaded = await loadFile(ws, options);
  if (!loaded.config || loaded.text === null) throw new ConfigError(ws.configName, loaded.diagnostics);
  return { config: loaded.config, text: loaded.text, diagnostics: loaded.diagnostics, referencedFiles: loaded.referencedFiles, referencedVariables: loaded.referencedVariables, referencedCredentials: loaded.referencedCredentials };
}

/** --state-dir or $CLOUDSYNC_STATE_DIR, else settings.state_dir (beside the file), else .cloudsync beside the file. */
export function stateDirFor(ws: Workspace, settings: Pick<Settings, "state_dir"> | null): string {
  if (ws.stateDirOverride) return ws.stateDirOverride;
  return resolve(dirname(ws.configPath), settings?.state_dir ?? ".cloudsync");
}

/** The state store; refused if others can write its directory, with a warning if they can read it. */
export function openStore(ws: Workspace, settings: Pick<Settings, "state_dir"> | null): StateStore {
  const store = new StateStore(stateDirFor(ws, settings));
  const warning = store.check();
  if (warning) ws.events.emit({ type: "notice", level: "warning", message: warning });
  return store;
}

/**
 * The state store for operations that need nothing else from the file: its
 * `settings.state_dir` is read as written, and the file is loaded in full only
 * when that cannot be told otherwise. Also returns the file's text, if readable.
 */
export async function locateStore(ws: Workspace): Promise<{ store: StateStore; text: string | null }> {
  const read = readConfigText(ws);
  if ("problem" in read) return { store: openStore(ws, null), text: null };
  if (ws.stateDirOverride) return { store: openStore(ws, null), text: read.text };
  const stateDir = peekStateDir(read.text);
  if (stateDir !== undefined) return { store: openStore(ws, { state_dir: stateDir }), text: read.text };
  const loaded = await loadConfig(ws.configName, read.text, environmentOf(ws));
  return { store: openStore(ws, loaded.config?.settings ?? null), text: read.text };
}

/**
 * The file's configuration when it may differ from what is applied, else null.
 * A file byte for byte the applied one is not loaded again (a changed ${VAR} aside).
 */
export async function editedConfig(ws: Workspace, text: string | null, applied: AppliedState): Promise<DesiredConfig | null> {
  if (text === null || sha256(text) === applied.config_sha256) return null;
  return (await loadConfig(ws.configName, text, environmentOf(ws))).config;
}
