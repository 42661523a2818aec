import { closeSync, constants, fstatSync, openSync, readFileSync, readSync, statSync } from "node:fs";
import type { Diagnostic } from "../config/diagnostics.js";
import { fsReason } from "../errors.js";
import { loadConfig, peekStateDir, type LoadedConfig } from "../config/load.js";
import type { AppliedState } from "../state/model.js";
import type { StateStore } from "../state/store.js";
import { sha256 } from "../plan/planfile.js";
import { messages } from "../config/messages.js";
import type { DesiredConfig } from "../config/model.js";
import type { CliContext } from "./context.js";
import { printDiagnostics } from "./output.js";
import { openStore } from "./state-dir.js";

function fileProblem(ctx: CliContext, message: string): Diagnostic {
  return { severity: "error", message, file: ctx.configName, line: 1, column: 1 };
}


/** Reads the configuration file as text, or says in a diagnostic why it cannot. */
export function readConfigText(ctx: CliContext): { text: string } | { problem: Diagnostic } {
  try {
    if (statSync(ctx.configPath).isDirectory()) return { problem: fileProblem(ctx, messages.isDirectory()) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { problem: fileProblem(ctx, code === "ENOENT" || code === "ENOTDIR" ? messages.notFound() : messages.unreadable(fsReason(error))) };
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(ctx.configPath);
  } catch (error) {
    return { problem: fileProblem(ctx, messages.unreadable(fsReason(error))) };
  }
  if (bytes.includes(0)) return { problem: fileProblem(ctx, messages.binary()) };
  try {
    return { text: new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes) };
  } catch {
    return { problem: fileProblem(ctx, messages.notUtf8()) };
  }
}

/** A secret is small; anything bigger behind ${file:…} is a mistake (or /dev/zero). */
const MAX_REFERENCED_FILE_BYTES = 1024 * 1024;

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
    const buffer = Buffer.alloc(MAX_REFERENCED_FILE_BYTES + 1);
    let length = 0;
    for (let read = -1; read !== 0 && length < buffer.length; length += read) read = readSync(fd, buffer, length, buffer.length - length, null);
    if (length > MAX_REFERENCED_FILE_BYTES) throw new Error("it is larger than 1 MiB, more than any secret");
    return buffer.subarray(0, length).toString("utf8");
  } catch (error) {
    throw error instanceof Error && !("code" in error) ? error : new Error(fsReason(error));
  } finally {
    closeSync(fd);
  }
}

/** The real environment and file system, for interpolation. */
export function processEnvironment(ctx: CliContext) {
  return { env: ctx.env, readFile: readReferencedFile };
}

/** Reads and loads the configuration; a file that cannot be read is one more diagnostic. */
export async function loadConfigFile(ctx: CliContext): Promise<LoadedConfig & { text: string | null }> {
  const read = readConfigText(ctx);
  if ("problem" in read) return { diagnostics: [read.problem], config: null, referencedFiles: [], text: null };
  return { ...(await loadConfig(ctx.configName, read.text, processEnvironment(ctx))), text: read.text };
}

/** The configuration, or undefined after printing why there is none. Warnings are printed either way. */
export async function loadValidConfig(ctx: CliContext): Promise<{ config: DesiredConfig; text: string } | undefined> {
  const loaded = await loadConfigFile(ctx);
  printDiagnostics(ctx, loaded.diagnostics);
  if (!loaded.config || loaded.text === null) {
    const errors = loaded.diagnostics.filter((d) => d.severity === "error").length;
    ctx.stderr.write(`${ctx.configName}: ${errors} error${errors === 1 ? "" : "s"}; nothing was changed.\n`);
    return undefined;
  }
  return { config: loaded.config, text: loaded.text };
}

/**
 * The state store for commands that need nothing else from the file: its
 * `settings.state_dir` is read as written, and the file is loaded in full only
 * when that cannot be told otherwise. Also returns the file's text, if readable.
 */
export async function locateStore(ctx: CliContext): Promise<{ store: StateStore; text: string | null }> {
  const read = readConfigText(ctx);
  if ("problem" in read) return { store: openStore(ctx, null), text: null };
  // --state-dir and $CLOUDSYNC_STATE_DIR win over the file.
  if (ctx.stateDirOption || ctx.env.CLOUDSYNC_STATE_DIR) return { store: openStore(ctx, null), text: read.text };
  const stateDir = peekStateDir(read.text);
  if (stateDir !== undefined) return { store: openStore(ctx, { state_dir: stateDir }), text: read.text };
  const loaded = await loadConfig(ctx.configName, read.text, processEnvironment(ctx));
  return { store: openStore(ctx, loaded.config?.settings ?? null), text: read.text };
}

/**
 * The file's configuration when it may differ from what is applied, else null.
 * A file byte for byte the applied one is not loaded again (a changed ${VAR} aside).
 */
export async function editedConfig(ctx: CliContext, text: string | null, applied: AppliedState): Promise<DesiredConfig | null> {
  if (text === null || sha256(text) === applied.config_sha256) return null;
  return (await loadConfig(ctx.configName, text, processEnvironment(ctx))).config;
}
