import { readFileSync, statSync } from "node:fs";
import type { Diagnostic } from "../config/diagnostics.js";
import { loadConfig, type LoadedConfig } from "../config/load.js";
import { messages } from "../config/messages.js";
import type { CliContext } from "./context.js";

function fileProblem(ctx: CliContext, message: string): Diagnostic {
  return { severity: "error", message, file: ctx.configName, line: 1, column: 1 };
}

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  return error instanceof Error ? error.message.replace(/^[A-Z]+: /, "") : String(error);
}

/** Reads the configuration file as text, or says in a diagnostic why it cannot. */
export function readConfigText(ctx: CliContext): { text: string } | { problem: Diagnostic } {
  try {
    if (statSync(ctx.configPath).isDirectory()) return { problem: fileProblem(ctx, messages.isDirectory()) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { problem: fileProblem(ctx, code === "ENOENT" || code === "ENOTDIR" ? messages.notFound() : messages.unreadable(reason(error))) };
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(ctx.configPath);
  } catch (error) {
    return { problem: fileProblem(ctx, messages.unreadable(reason(error))) };
  }
  if (bytes.includes(0)) return { problem: fileProblem(ctx, messages.binary()) };
  try {
    return { text: new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes) };
  } catch {
    return { problem: fileProblem(ctx, messages.notUtf8()) };
  }
}

/** The real environment and file system, for interpolation. */
export function processEnvironment(ctx: CliContext) {
  return {
    env: ctx.env,
    readFile: (path: string) => {
      try {
        return readFileSync(path, "utf8");
      } catch (error) {
        throw new Error(reason(error));
      }
    },
  };
}

/** Reads and loads the configuration; a file that cannot be read is one more diagnostic. */
export async function loadConfigFile(ctx: CliContext): Promise<LoadedConfig> {
  const read = readConfigText(ctx);
  if ("problem" in read) return { diagnostics: [read.problem], config: null, referencedFiles: [] };
  return loadConfig(ctx.configName, read.text, processEnvironment(ctx));
}
