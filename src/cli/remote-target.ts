import { findBackend, type FoundBackend } from "../config/backends.js";
import type { CredentialSpec, Settings, TaskSpec } from "../config/model.js";
import { DEFAULT_SETTINGS } from "../config/model.js";
import { UserError } from "../errors.js";
import { loadConfigFile } from "./config-file.js";
import type { CliContext } from "./context.js";
import { printDiagnostics } from "./output.js";
import { openStore } from "./state-dir.js";

/** Where a credential or task was found: the file as it stands, or the applied state. */
export type Source = "file" | "applied";

interface Sources {
  file: { credentials: Record<string, CredentialSpec>; tasks: Record<string, TaskSpec>; settings: Settings } | null;
  applied: { credentials: Record<string, CredentialSpec>; tasks: Record<string, TaskSpec>; settings: Settings };
  /** Prints why the file could not be used, if it could not. */
  explainFile: () => void;
}

/**
 * The file (as edited, so a credential can be tried before it is applied) and
 * the applied state (so browsing works while the file is mid-edit).
 */
async function readSources(ctx: CliContext): Promise<Sources> {
  const loaded = await loadConfigFile(ctx);
  const applied = openStore(ctx, loaded.config?.settings ?? null).read();
  return {
    file: loaded.config,
    applied: { credentials: applied.credentials, tasks: applied.tasks, settings: applied.settings ?? DEFAULT_SETTINGS },
    explainFile: () => printDiagnostics(ctx, loaded.diagnostics),
  };
}

export interface CredentialTarget {
  name: string;
  credential: CredentialSpec;
  backend: FoundBackend | undefined;
  source: Source;
  rclone: string;
  /** Tasks of the same source that use the credential. */
  users: Record<string, TaskSpec>;
}

/** Says why the applied version is used when the file's would have been. */
function noteFallback(sources: Sources, ctx: CliContext, what: string): void {
  if (sources.file) return;
  sources.explainFile();
  ctx.stderr.write(`note: ${ctx.configName} has errors; using ${what} as applied.\n`);
}

function notFound(sources: Sources, what: "credential" | "task", name: string, ctx: CliContext): UserError {
  if (!sources.file) sources.explainFile();
  const known = Object.keys(what === "credential" ? { ...sources.applied.credentials, ...sources.file?.credentials } : { ...sources.applied.tasks, ...sources.file?.tasks });
  return new UserError(
    `no ${what} named ${name} in ${ctx.configName}${sources.file ? "" : " (which has errors)"} or in the applied state`,
    known.length > 0 ? `Known: ${known.sort().join(", ")}.` : `Add it to ${ctx.configName} first.`,
  );
}

type Found<T> = { value: T; source: Source; from: NonNullable<Sources["file"]> };

/** The first of the file and the applied state where `pick` finds something; saying so when the file could not be used. */
async function findIn<T>(ctx: CliContext, what: "credential" | "task", name: string, pick: (from: NonNullable<Sources["file"]>) => T | undefined): Promise<Found<T>> {
  const sources = await readSources(ctx);
  for (const source of ["file", "applied"] as const) {
    const from = sources[source];
    const value = from ? pick(from) : undefined;
    if (!from || value === undefined) continue;
    if (source === "applied") noteFallback(sources, ctx, `${what} ${name}`);
    return { value, source, from };
  }
  throw notFound(sources, what, name, ctx);
}

export async function findCredential(ctx: CliContext, name: string): Promise<CredentialTarget> {
  const { value: credential, source, from } = await findIn(ctx, "credential", name, (f) => f.credentials[name]);
  const users = Object.fromEntries(Object.entries(from.tasks).filter(([, t]) => t.credential === name));
  return { name, credential, backend: findBackend(credential.type), source, rclone: from.settings.rclone, users };
}

export interface TaskTarget {
  name: string;
  task: TaskSpec;
  credential: CredentialSpec;
  source: Source;
  rclone: string;
}

export async function findTask(ctx: CliContext, name: string): Promise<TaskTarget> {
  const { value, source, from } = await findIn(ctx, "task", name, (f) => {
    const task = f.tasks[name];
    const credential = task && f.credentials[task.credential];
    return task && credential ? { task, credential } : undefined;
  });
  return { name, ...value, source, rclone: from.settings.rclone };
}
