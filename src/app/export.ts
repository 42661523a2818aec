// `export systemd` and `export kubernetes`: the schedule handed to an engine
// the user already runs. The files come from the pure writers in src/export;
// here they are checked, written into a directory level-based (what is
// there afterwards is exactly the export: stale files of an earlier export
// are removed, files nobody generated are left alone), or returned to print.
import { readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_SETTINGS } from "../model/config.js";
import { UserError, fsReason } from "../errors.js";
import { kubernetesManifests, MANIFEST_MARK } from "../export/kubernetes.js";
import { systemdUnits, GENERATED_MARK, type ExportProblem } from "../export/systemd.js";
import { computePlan } from "../plan/diff.js";
import { thisCloudsync } from "../process/which.js";
import { makePrivateDirectory } from "../state/durable.js";
import { VERSION } from "../version.js";
import { CREDENTIAL_STORES, credentialReferences, readCredential } from "../config/interpolate.js";
import { hasControlCharacter } from "../config/safety.js";
import { editedConfig, environmentOf, loadValidFile, locateStore, readReferencedFile, type Workspace } from "./workspace.js";

export interface GeneratedFile {
  name: string;
  text: string;
  task: string | null;
  kind: string;
}

export interface ExportOutcome {
  files: GeneratedFile[];
  /** Where they were written; null: not written (to be printed). */
  out: string | null;
  /** Files of an earlier export that no task makes any more, removed from `out`. */
  removed: string[];
  warnings: ExportProblem[];
  skipped: ExportProblem[];
}

/** Refuses an export with any task that cannot be exported, naming each: nothing is written then. */
function refuseProblems(target: string, errors: readonly ExportProblem[]): void {
  if (errors.length === 0) return;
  const lines = errors.map((e) => `${e.task === null ? "" : `task ${e.task}: `}${e.message}`);
  throw new UserError(`cannot export to ${target}; nothing was written:\n  ${lines.join("\n  ")}`, "Change those schedules (or disable the tasks), apply, and export again.");
}

/**
 * Writes `files` into `dir` (made if missing) and removes the files there
 * that an earlier export made (`generated` tells them) but this one does not.
 */
function writeGenerated(dir: string, files: readonly GeneratedFile[], generated: (name: string, text: string) => boolean): string[] {
  try {
    makePrivateDirectory(dir);
    for (const file of files) {
      const temporary = join(dir, `.${file.name}.${process.pid}.tmp`);
      // A Secret's manifest may carry values (--with-secrets): for its owner only.
      writeFileSync(temporary, file.text, { mode: file.kind === "secret" ? 0o600 : 0o644 });
      renameSync(temporary, join(dir, file.name));
    }
  } catch (error) {
    throw new UserError(`cannot write into ${dir}: ${fsReason(error)}`);
  }
  const wanted = new Set(files.map((f) => f.name));
  const removed: string[] = [];
  for (const name of readdirSync(dir)) {
    if (wanted.has(name)) continue;
    let text: string;
    try {
      text = readFileSync(join(dir, name), "utf8");
    } catch {
      continue;
    }
    if (!generated(name, text)) continue;
    rmSync(join(dir, name), { force: true });
    removed.push(name);
  }
  return removed.sort();
}

/** The applied state, with a notice when the file differs from it (the export describes what is applied). */
async function appliedForExport(ws: Workspace) {
  const { store, text } = await locateStore(ws);
  const applied = store.read();
  if (applied.serial === 0) throw new UserError("nothing is applied yet, so there is nothing to export", "The exported units run the applied tasks: run cloudsync apply first.");
  const edited = await editedConfig(ws, text, applied);
  if (edited && computePlan(edited, applied).changes.length > 0) {
    ws.events.emit({ type: "notice", level: "info", message: `${ws.configName} differs from what is applied; the export describes the applied tasks. cloudsync apply, then export again, to include the changes.` });
  }
  return { store, applied, text };
}

export interface SystemdExportOptions {
  out: string | null;
  user: boolean;
  /** The secrets file the units read; undefined: the default for system or user units (none with credentials); null: none. */
  environmentFile: string | null | undefined;
  /** Hand the file's ${credential:NAME}s to the units as systemd credentials, plain or encrypted; null: not. */
  credentials: { encrypted: boolean; directory?: string } | null;
  /** The command that starts cloudsync, absolute; by default this one's (node and its script). */
  cloudsync?: readonly string[];
}

/** systemd's own stores for a service's credentials, system-wide or a user's (specifiers are the unit's). */
function credentialStore(user: boolean, encrypted: boolean): string {
  return `${user ? "%h/.config/credstore" : "/etc/credstore"}${encrypted ? ".encrypted" : ""}`;
}

export async function exportSystemd(ws: Workspace, options: SystemdExportOptions): Promise<ExportOutcome> {
  const { store, applied, text } = await appliedForExport(ws);
  // They are written into every unit's command line and paths: a line break there would be a directive of its own.
  for (const [what, path] of [["the configuration file's path", ws.configPath], ["the state directory's path", store.dir]] as const) {
    if (hasControlCharacter(path)) throw new UserError(`cannot export to systemd: ${what} contains a control character or line separator`, "Move it to a path without one.");
  }
  const defaultEnvironmentFile = options.user ? "%h/.config/cloudsync/secrets.env" : "/etc/cloudsync/secrets.env";
  // Credentials stand instead of the environment file, unless one is named as well.
  const environmentFile = options.environmentFile === undefined ? (options.credentials ? null : defaultEnvironmentFile) : options.environmentFile;
  const names = text === null ? [] : credentialReferences(text);
  const credentials = options.credentials && { names, encrypted: options.credentials.encrypted, directory: options.credentials.directory ?? credentialStore(options.user, options.credentials.encrypted) };
  const units = systemdUnits({
    tasks: applied.tasks,
    settings: applied.settings ?? DEFAULT_SETTINGS,
    configPath: ws.configPath,
    stateDir: store.dir,
    cloudsync: options.cloudsync ?? thisCloudsync(),
    user: options.user,
    environmentFile,
    credentials,
    now: ws.clock.now(),
  });
  refuseProblems("systemd", units.errors);
  if (credentials && names.length === 0) units.warnings.push({ task: null, message: `${ws.configName} reads no \${credential:NAME}: the units load no credentials` });

  const isUnit = (name: string, text: string) => /^cloudsync-.+\.(service|timer)$/.test(name) && text.startsWith(GENERATED_MARK);
  const removed = options.out === null ? [] : writeGenerated(options.out, units.files, isUnit);
  return { files: units.files, out: options.out, removed, warnings: units.warnings, skipped: units.skipped };
}

export interface KubernetesExportOptions {
  out: string | null;
  /** Tasks whose path comes from a PersistentVolumeClaim: task → claim name. */
  claims: Record<string, string>;
  /** The container image; by default this version's. */
  image?: string;
  /** Put the secrets' values (from this environment and the files) into the Secrets. */
  withSecrets: boolean;
}

/** The CronJobs run the file as it stands (--ephemeral), so the export is made from the file, validated, not from the applied state. */
export async function exportKubernetes(ws: Workspace, options: KubernetesExportOptions): Promise<ExportOutcome> {
  // Empty Secrets need no values here: only --with-secrets reads them (and needs every one).
  const file = await loadValidFile(ws, { allowMissingValues: !options.withSecrets });
  for (const task of Object.keys(options.claims)) {
    if (!file.config.tasks[task]) throw new UserError(`--volume names task ${task}, which ${ws.configName} does not have`, `Tasks: ${Object.keys(file.config.tasks).sort().join(", ") || "none"}.`);
  }
  const credentialFiles = new Set(file.referencedCredentials.flatMap((name) => [ws.env.CREDENTIALS_DIRECTORY, ...CREDENTIAL_STORES].filter(Boolean).map((dir) => `${dir!.replace(/\/+$/, "")}/${name}`)));
  const values = options.withSecrets
    ? {
        variables: Object.fromEntries(file.referencedVariables.filter((name) => ws.env[name] !== undefined).map((name) => [name, ws.env[name]!])),
        files: Object.fromEntries(file.referencedFiles.map((path) => [path, readReferencedFile(path)])),
        credentials: Object.fromEntries(file.referencedCredentials.map((name) => [name, readCredential(name, environmentOf(ws))])),
      }
    : null;
  const manifests = kubernetesManifests({
    config: file.config,
    configText: file.text,
    variables: file.referencedVariables,
    // A credential's file is its own Secret's, not one of ${file:…}'s.
    files: file.referencedFiles.filter((path) => !credentialFiles.has(path)),
    credentials: file.referencedCredentials,
    values,
    image: options.image ?? `cloudsync:${VERSION}`,
    claims: options.claims,
    now: ws.clock.now(),
  });
  refuseProblems("kubernetes", manifests.errors);
  const isManifest = (name: string, text: string) => name.endsWith(".yaml") && text.startsWith(MANIFEST_MARK);
  const removed = options.out === null ? [] : writeGenerated(options.out, manifests.files, isManifest);
  return { files: manifests.files, out: options.out, removed, warnings: manifests.warnings, skipped: manifests.skipped };
}
