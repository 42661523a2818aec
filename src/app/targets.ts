// Finding a credential or task for the remote operations: in the file as it
// stands (so a credential can be tried before it is applied), else as applied
// (so browsing works while the file is mid-edit).
import type { BackendCatalog, FoundBackend } from "../model/backends.js";
import type { Diagnostic } from "../model/diagnostics.js";
import { DEFAULT_SETTINGS, type CredentialSpec, type FleetSettings, type Settings, type TaskSpec } from "../model/config.js";
import { UserError } from "../errors.js";
import { backendCatalog } from "../rclone/backends.js";
import { loadFile, openStore, type Workspace } from "./workspace.js";
import type { Source } from "../model/results.js";
import { destinationLabel, destinationsOf, pickDestination } from "../model/destinations.js";

interface Config {
  credentials: Record<string, CredentialSpec>;
  tasks: Record<string, TaskSpec>;
  settings: Settings;
}

interface Sources {
  file: Config | null;
  applied: Config;
  /** Why the file could not be used, if it could not. */
  diagnostics: Diagnostic[];
}

async function readSources(ws: Workspace): Promise<Sources> {
  const loaded = await loadFile(ws);
  const applied = openStore(ws, loaded.config?.settings ?? null).read();
  return {
    file: loaded.config,
    applied: { credentials: applied.credentials, tasks: applied.tasks, settings: applied.settings ?? DEFAULT_SETTINGS },
    diagnostics: loaded.diagnostics,
  };
}

export interface CredentialTarget {
  name: string;
  credential: CredentialSpec;
  backend: FoundBackend | undefined;
  source: Source;
  rclone: string;
  /** The backends of that rclone. */
  backends: BackendCatalog;
  /** Tasks of the same source that use the credential. */
  users: Record<string, TaskSpec>;
}

export interface TaskTarget {
  name: string;
  task: TaskSpec;
  credential: CredentialSpec;
  source: Source;
  rclone: string;
  backends: BackendCatalog;
}

type Found<T> = { value: T; source: Source; from: Config };

/** The first of the file and the applied state where `pick` finds something; telling when the file could not be used. */
async function findIn<T>(ws: Workspace, what: "credential" | "task", name: string, pick: (from: Config) => T | undefined): Promise<Found<T>> {
  const sources = await readSources(ws);
  for (const source of ["file", "applied"] as const) {
    const from = sources[source];
    const value = from ? pick(from) : undefined;
    if (!from || value === undefined) continue;
    if (source === "applied" && !sources.file) {
      ws.events.emit({ type: "notice", level: "info", message: `${ws.configName} has errors; using ${what} ${name} as applied.`, diagnostics: sources.diagnostics });
    }
    return { value, source, from };
  }
  const known = Object.keys(what === "credential" ? { ...sources.applied.credentials, ...sources.file?.credentials } : { ...sources.applied.tasks, ...sources.file?.tasks });
  const error = new UserError(
    `no ${what} named ${name} in ${ws.configName}${sources.file ? "" : " (which has errors)"} or in the applied state`,
    known.length > 0 ? `Known: ${known.sort().join(", ")}.` : `Add it to ${ws.configName} first.`,
  );
  if (!sources.file) ws.events.emit({ type: "notice", level: "info", message: `${ws.configName} has errors.`, diagnostics: sources.diagnostics });
  throw error;
}

export async function findCredential(ws: Workspace, name: string): Promise<CredentialTarget> {
  const { value: credential, source, from } = await findIn(ws, "credential", name, (f) => f.credentials[name]);
  // Each task (or destination of one) that writes with it, as a task of one destination.
  const users = Object.fromEntries(
    Object.entries(from.tasks).flatMap(([task, spec]) => destinationsOf(spec).flatMap((d) => (d.spec.credential === name ? [[destinationLabel(task, d.name), d.spec] as const] : []))),
  );
  const backends = await backendCatalog(from.settings.rclone, ws.env);
  return { name, credential, backend: backends.find(credential.type), source, rclone: from.settings.rclone, backends, users };
}

/** A task (one of its destinations, for a task with several: `destination`) and its credential. */
export async function findTask(ws: Workspace, name: string, destination?: string): Promise<TaskTarget> {
  const { value, source, from } = await findIn(ws, "task", name, (f) => {
    const written = f.tasks[name];
    if (!written) return undefined;
    const task = pickDestination(name, written, destination).spec;
    const credential = f.credentials[task.credential];
    return credential ? { task, credential } : undefined;
  });
  return { name, ...value, source, rclone: from.settings.rclone, backends: await backendCatalog(from.settings.rclone, ws.env) };
}

export interface FleetTarget {
  fleet: FleetSettings;
  credential: CredentialSpec;
  rclone: string;
  backends: BackendCatalog;
}

/** The fleet the file (or, while the file has errors, the applied state) says this host is in. */
export async function findFleet(ws: Workspace): Promise<FleetTarget> {
  const sources = await readSources(ws);
  for (const from of [sources.file, sources.applied]) {
    const fleet = from?.settings.fleet;
    const credential = fleet && from.credentials[fleet.publish.credential];
    if (fleet && credential) return { fleet, credential, rclone: from.settings.rclone, backends: await backendCatalog(from.settings.rclone, ws.env) };
  }
  throw new UserError(`${ws.configName} names no fleet${sources.file ? "" : " (it has errors)"}`, "Add settings.fleet: { publish: { credential, bucket, folder }, key: ${FLEET_KEY} } to it.");
}
