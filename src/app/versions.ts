// Versions of a task's destination: listing them, pruning them, restoring
// the destination as it was at a point in time, and approving a run HELD at
// the deletion limit. Each works on the task as applied (what runs use).
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir, userInfo } from "node:os";
import { isAbsolute, join } from "node:path";
import { isInside, protectedPlace } from "../config/safety.js";
import { NotFoundError, taskNotApplied, UserError, fsReason } from "../errors.js";
import type { AppliedState } from "../model/applied-state.js";
import { DEFAULT_SETTINGS, durationMs, type TaskSpec } from "../model/config.js";
import { pickDestination } from "../model/destinations.js";
import { parsePointInTime } from "../model/point-in-time.js";
import type { FolderAt, PathVersions, RestoreAtResult, VersionsReport } from "../model/results.js";
import type { Approval } from "../model/run-record.js";
import { remoteOf } from "../plan/diff.js";
import { backendCatalog } from "../rclone/backends.js";
import { endpoints, remoteConfig } from "../rclone/command.js";
import { VersionStore, VersionStoreError } from "../rclone/version-store.js";
import { expiredStamps, pointInTime, stampTime, versionFolders, versionsOf, VERSIONS_DIRECTORY, type RestoreSource } from "../rclone/versions.js";
import { Approvals } from "../state/approvals.js";
import { RunRecords } from "../state/run-records.js";
import { locateStore, type Workspace } from "./workspace.js";

interface VersionedTask {
  name: string;
  spec: TaskSpec;
  applied: AppliedState;
  stateDir: string;
  store: VersionStore;
}

/** The applied task and one destination's versions, reached with its credential (and encryption). */
async function versionedTask(ws: Workspace, task: string, from?: string): Promise<VersionedTask> {
  const { store: state } = await locateStore(ws);
  const applied = state.read();
  const written = applied.tasks[task];
  if (!written) throw taskNotApplied(task, Object.keys(applied.tasks));
  const { spec } = pickDestination(task, written, from);
  const settings = applied.settings ?? DEFAULT_SETTINGS;
  const remotes = remoteConfig(applied.credentials[spec.credential]!, spec, await backendCatalog(settings.rclone, ws.env));
  const store = new VersionStore({ rclone: settings.rclone, remotes, env: ws.env, destination: endpoints(spec, remotes.remote).destination });
  return { name: task, spec, applied, stateDir: state.dir, store };
}

/** Where a task's versions are, as its user knows the destination. */
const placeOf = (spec: TaskSpec) => `${spec.direction === "push" ? remoteOf(spec) : spec.path}/${VERSIONS_DIRECTORY}`;

/** A failure reaching the destination, as a user's error. */
async function reaching<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof VersionStoreError) throw new UserError(error.message);
    throw error;
  }
}

/** `versions TASK`: the version folders, newest first, with when each expires. */
export async function listVersions(ws: Workspace, task: string, from?: string): Promise<VersionsReport> {
  const { spec, store } = await versionedTask(ws, task, from);
  const [stamps, files] = await reaching(Promise.all([store.stamps(), store.versions()]));
  const keepMs = spec.versions ? durationMs(spec.versions.keep) : null;
  const folders = versionFolders(files, stamps).map((folder) => ({ ...folder, expires_at: keepMs === null ? null : new Date(Date.parse(folder.replaced_at) + keepMs).toISOString() }));
  return { task, keep: spec.versions?.keep ?? null, place: placeOf(spec), folders };
}

/** `versions TASK PATH`: every kept version of a file, or of the files in a folder, and what is there now. */
export async function versionsOfPath(ws: Workspace, task: string, path: string, from?: string): Promise<PathVersions> {
  const { store } = await versionedTask(ws, task, from);
  const [files, current] = await reaching(Promise.all([store.versions(path), store.current(path)]));
  return {
    task,
    path,
    versions: versionsOf(files, path).map((v) => ({ stamp: v.stamp, replaced_at: stampTime(v.stamp)!.toISOString(), path: v.path, size: v.size, modified: v.modified })),
    current,
  };
}

/** `versions TASK --prune`: removes the folders older than versions.keep now (as a successful run does). */
export async function pruneVersions(ws: Workspace, task: string, from?: string): Promise<{ task: string; removed: string[]; kept: number }> {
  const { spec, store } = await versionedTask(ws, task, from);
  if (!spec.versions) throw new UserError(`task "${task}" keeps no versions`, "Add versions: {keep: 30d} to the task (then cloudsync apply) to keep and prune them.");
  const stamps = await reaching(store.stamps());
  const removed = expiredStamps(stamps, durationMs(spec.versions.keep), ws.clock.now());
  await reaching(store.remove(removed));
  return { task, removed, kept: stamps.length - removed.length };
}

export interface RestoreAtOptions {
  /** TIME as written: RFC 3339, a date or wall time in settings.timezone, or a duration ago. */
  at: string;
  /** One file or folder, relative to the destination. */
  path?: string;
  /** The local directory to write into: new or empty, never the task's own path. */
  to: string;
  dryRun?: boolean;
  /** The destination to restore from, for a task with several. */
  from?: string;
}

/** A restore writes only into a new or empty directory of its own. */
function checkTarget(spec: TaskSpec, to: string): void {
  if (!isAbsolute(to)) throw new UserError(`--to must be an absolute directory (got ${to})`);
  const what = protectedPlace(to);
  if (what) throw new UserError(`--to ${to} is ${what}: cloudsync never restores there`);
  if (isInside(to, spec.path) || isInside(spec.path, to)) throw new UserError(`--to ${to} ${to === spec.path ? "is" : isInside(to, spec.path) ? "lies inside" : "contains"} the task's own path ${spec.path}: restore into a directory of its own, then move what you need`);
  let entries: string[];
  try {
    entries = readdirSync(to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw new UserError(`cannot use --to ${to}: ${fsReason(error)}`);
  }
  if (entries.length > 0) throw new UserError(`--to ${to} is not empty: a restore writes into a new or empty directory`, "Choose another directory, or empty this one.");
}

/**
 * `restore TASK --at TIME --to DIR`: the task's destination as it was at TIME, written into DIR.
 * Nothing at the destination changes.
 */
export async function restoreAt(ws: Workspace, task: string, options: RestoreAtOptions): Promise<RestoreAtResult> {
  const { spec, applied, store } = await versionedTask(ws, task, options.from);
  const at = timeOf(options.at, applied, ws.clock.now());
  checkTarget(spec, options.to);
  const [current, versions] = await reaching(Promise.all([store.current(options.path), store.versions(options.path)]));
  const chosen = pointInTime(current, versions, at);
  if (options.path && chosen.length === 0) throw new NotFoundError(`${options.path} was not at the destination of ${task} at ${at.toISOString()}`, "cloudsync versions TASK PATH lists what is kept of it.");
  const files = chosen.map((file) => ({ path: file.path, size: file.size, modified: file.modified, from: file.stamp === null ? "current" : file.stamp }));
  const result = { task, at: at.toISOString(), to: options.to, dry_run: options.dryRun === true, files, bytes: chosen.reduce((sum, f) => sum + Math.max(0, f.size), 0) };
  if (!options.dryRun) await copyOut(store, chosen, options.to);
  return result;
}

/** Copies each chosen file from where it is kept: one rclone per source (the destination, or a version folder). */
async function copyOut(store: VersionStore, chosen: readonly RestoreSource[], to: string): Promise<void> {
  try {
    mkdirSync(to, { recursive: true });
  } catch (error) {
    throw new UserError(`cannot create --to ${to}: ${fsReason(error)}`);
  }
  const bySource = new Map<string | null, string[]>();
  for (const file of chosen) bySource.set(file.stamp, [...(bySource.get(file.stamp) ?? []), file.path]);
  const lists = mkdtempSync(join(tmpdir(), "cloudsync-restore-"));
  try {
    for (const [stamp, paths] of bySource) {
      const list = join(lists, stamp ?? "current");
      writeFileSync(list, `${paths.join("\n")}\n`, { mode: 0o600 });
      await reaching(store.copyOut(stamp, list, to));
    }
  } finally {
    rmSync(lists, { recursive: true, force: true });
  }
}

/** What a time of the page (RFC 3339 or as restore --at takes it) means, or a user's error. */
function timeOf(written: string, applied: AppliedState, now: Date): Date {
  const at = parsePointInTime(written, applied.settings?.timezone ?? null, now);
  if (!at) throw new UserError(`${written} is not a time`, "Write an RFC 3339 time (2026-12-01T03:00:00Z), a date or a time in settings.timezone (2026-12-01, 2026-12-01 03:00), or a duration ago (3d, 12h).");
  return at;
}

/** One folder of the destination as it was at a time: its files and folders, each file with the copy it would come from. */
export async function folderAt(ws: Workspace, task: string, options: { at: string; path?: string; from?: string }): Promise<FolderAt> {
  const { applied, store } = await versionedTask(ws, task, options.from);
  const at = timeOf(options.at, applied, ws.clock.now());
  const folder = (options.path ?? "").replace(/^\/+|\/+$/g, "");
  const [current, versions] = await reaching(Promise.all([store.current(folder || undefined), store.versions(folder || undefined)]));
  const entries = new Map<string, FolderAt["entries"][number]>();
  for (const file of pointInTime(current, versions, at)) {
    const rest = folder === "" ? file.path : file.path.slice(folder.length + 1);
    const [name, ...deeper] = rest.split("/");
    if (!name) continue;
    const path = folder === "" ? name : `${folder}/${name}`;
    if (deeper.length > 0) entries.set(name, { name, path, is_dir: true, size: null, modified: null, from: null });
    else entries.set(name, { name, path, is_dir: false, size: file.size, modified: file.modified, from: file.stamp ?? "current" });
  }
  return { task, at: at.toISOString(), path: folder, entries: [...entries.values()].sort((a, b) => Number(b.is_dir) - Number(a.is_dir) || a.name.localeCompare(b.name)) };
}

/**
 * One file as it was at a time, copied into a temporary directory for the caller to send: its path
 * there, and `done` to remove it.
 */
export async function fileAt(ws: Workspace, task: string, options: { at: string; path: string; from?: string }): Promise<{ file: string; name: string; done: () => void }> {
  const { applied, store } = await versionedTask(ws, task, options.from);
  const at = timeOf(options.at, applied, ws.clock.now());
  const path = options.path.replace(/^\/+|\/+$/g, "");
  const [current, versions] = await reaching(Promise.all([store.current(path), store.versions(path)]));
  const found = pointInTime(current, versions, at).find((f) => f.path === path);
  if (!found) throw new NotFoundError(`${path} was not at the destination of ${task} at ${at.toISOString()}`);
  const into = mkdtempSync(join(tmpdir(), "cloudsync-file-"));
  const done = () => rmSync(into, { recursive: true, force: true });
  try {
    await copyOut(store, [found], into);
  } catch (error) {
    done();
    throw error;
  }
  return { file: join(into, path), name: path.split("/").at(-1)!, done };
}

/**
 * `approve TASK`: lets the task's next run delete beyond max_delete, once, after its last run was HELD.
 * `by`: who approves (default: the user running this); recorded with the time and host.
 */
export async function approve(ws: Workspace, task: string, by?: string): Promise<Approval> {
  const { store } = await locateStore(ws);
  const applied = store.read();
  if (!applied.tasks[task]) throw taskNotApplied(task, Object.keys(applied.tasks));
  const last = new RunRecords(store.dir).seen(task).find((r) => r.kind === "run" && !r.dry_run);
  if (last?.state !== "HELD") throw new UserError(`the last run of ${task} ${last ? `is ${last.state}, not HELD` : "has not run yet"}: there is nothing to approve`);
  const approval: Approval = { task, held_run: last.id, by: by ?? ws.env.USER ?? ws.env.LOGNAME ?? userInfo().username, at: ws.clock.now().toISOString(), host: hostname() };
  new Approvals(store.dir).grant(approval);
  ws.events.emit({ type: "run.approved", approval });
  return approval;
}
