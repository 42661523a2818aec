import { existsSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { loadConfig } from "../config/load.js";
import type { Diagnostic } from "../model/diagnostics.js";
import { fsReason, UserError } from "../errors.js";
import { envFileText, EnvFileError, type EnvFormat } from "../import/env-file.js";
import { importTrueNas, ImportError, type ImportWarning } from "../import/truenas.js";
import { environmentOf, readFileAtMost, type Workspace } from "./workspace.js";

export interface ImportOptions {
  tasksFile: string;
  credentialsFile?: string;
  /** Where the configuration goes (refused if it exists); null: returned only. */
  out: string | null;
  /** Where the secrets' values go (mode 0600). */
  envOut: string | null;
  /** NAME='value' lines for a shell (the default), or NAME=value lines for docker and kubectl. */
  envFormat?: EnvFormat;
  /** Pushes of one path on one schedule become one task with several destinations. */
  mergeDestinations?: boolean;
}

export interface ImportResult {
  text: string;
  warnings: ImportWarning[];
  /** How the file fares at validate, with the secrets set. */
  diagnostics: Diagnostic[];
  /** References with a value in the env file, and those still to fill in. */
  secrets: { written: string[]; placeholders: string[] };
}

function readJson(path: string, what: string): unknown {
  const expected = `give the output of \`midclt call ${what === "tasks file" ? "cloudsync.query" : "cloudsync.credentials.query"}\``;
  let bytes: Buffer | null;
  try {
    bytes = readFileAtMost(path);
  } catch (error) {
    throw new UserError(`cannot read the ${what} ${path}: ${fsReason(error)}`);
  }
  if (bytes === null) throw new UserError(`${path} is larger than 64 MiB, more than any TrueNAS export: ${expected}`);
  try {
    return JSON.parse(bytes.toString("utf8"));
  } catch {
    throw new UserError(`${path} is not JSON: ${expected}`);
  }
}

/** Writes a new file whole, never over an existing one. */
function writeNew(path: string, text: string, mode: number): void {
  if (existsSync(path)) throw new UserError(`${path} already exists; import never overwrites a file`, "Choose another name, or move the file away.");
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.import.tmp`);
  try {
    writeFileSync(temp, text, { mode, flag: "wx" });
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw new UserError(`cannot write ${path}: ${fsReason(error)}`);
  }
}

/** `import truenas`: converts, checks the result as validate would, writes the file and the env file. */
export async function importFromTrueNas(ws: Pick<Workspace, "env">, options: ImportOptions): Promise<ImportResult> {
  let imported;
  try {
    imported = importTrueNas(readJson(options.tasksFile, "tasks file"), options.credentialsFile ? readJson(options.credentialsFile, "credentials file") : null, { mergeDestinations: options.mergeDestinations });
  } catch (error) {
    if (error instanceof ImportError) throw new UserError(error.message);
    throw error;
  }
  const warnings = [...imported.warnings];
  const missing: string[] = [];
  for (const { task, path } of imported.paths) {
    try {
      if (!statSync(path).isDirectory()) warnings.push({ about: task, message: `its path ${path} is not a directory on this machine` });
    } catch {
      missing.push(`${task} (${path})`);
    }
  }
  // One line for them all: an import on another machine than the NAS finds none of its pools.
  if (missing.length > 0) warnings.push({ about: null, message: `${missing.length === imported.paths.length ? "no task's path exists" : "these tasks' paths do not exist"} on this machine: ${missing.slice(0, 10).join(", ")}${missing.length > 10 ? `, and ${missing.length - 10} more` : ""}; mount the pools there, or edit the paths` });
  const secretNames = [...Object.keys(imported.env), ...imported.placeholders];
  if (Object.keys(imported.env).length > 0 && options.envOut === null) {
    warnings.push({ about: null, message: `the JSON holds the values of ${Object.keys(imported.env).length} secrets; they were not written anywhere: pass --env-out FILE to keep them` });
  }
  // The file as validate will see it, with every secret set (placeholders to a stand-in).
  const env = { ...ws.env, ...imported.env, ...Object.fromEntries(imported.placeholders.map((name) => [name, "placeholder"])) };
  const checked = await loadConfig(options.out ?? "cloudsync.yaml", imported.text, environmentOf({ env }));
  if (options.envOut !== null && secretNames.length > 0) {
    let text: string;
    try {
      text = envFileText(imported.env, imported.placeholders, options.envFormat ?? "shell");
    } catch (error) {
      if (error instanceof EnvFileError) throw new UserError(`${error.message}; nothing was written`);
      throw error;
    }
    writeNew(options.envOut, text, 0o600);
  }
  if (options.out !== null) writeNew(options.out, imported.text, 0o644);
  return { text: imported.text, warnings, diagnostics: checked.diagnostics, secrets: { written: options.envOut ? Object.keys(imported.env) : [], placeholders: imported.placeholders } };
}
