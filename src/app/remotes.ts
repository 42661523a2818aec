// Working with remotes: verify a credential, list and create buckets, browse.
import { bucketNameProblem } from "../config/bucket-names.js";
import type { TaskSpec } from "../model/config.js";
import { UserError } from "../errors.js";
import { below, CREDENTIAL_TOP, remoteConfig, remotePath, type RemoteConfig } from "../rclone/command.js";
import { parseListing, rcloneQuery, type QueryResult } from "../rclone/query.js";
import { VERSIONS_DIRECTORY } from "../rclone/versions.js";
import { findCredential, findTask, type CredentialTarget } from "./targets.js";
import type { Workspace } from "./workspace.js";
import type { BucketList, Listing, RemoteEntry, Verification } from "../model/results.js";

/** Enough to catch a mistyped folder without listing a remote once per task of a large file. */
const MAX_FOLDER_CHECKS = 20;

/** A remote refused or failed: the one-line reason, and rclone's own last lines for those who ask (-v). */
export class RemoteError extends UserError {
  constructor(
    message: string,
    readonly excerpt: string[],
  ) {
    super(message);
  }
}

type Failed = Extract<QueryResult, { ok: false }>;

const failed = (what: string, result: Failed) => new RemoteError(`${what}: ${result.failure.message}`, result.excerpt);

async function list(ws: Workspace, rclone: string, config: RemoteConfig, remote: string, dirsOnly = false): Promise<QueryResult & { entries?: RemoteEntry[] }> {
  const result = await rcloneQuery(rclone, ["lsjson", remote, ...(dirsOnly ? ["--dirs-only"] : [])], config, ws.env);
  return result.ok ? { ...result, entries: parseListing(result.stdout) } : result;
}


/** Where on the remote each task's files are (`bucket/folder`), with the tasks that use each place. */
function places(tasks: Record<string, TaskSpec>, which: (spec: TaskSpec) => string | null): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const [task, spec] of Object.entries(tasks)) {
    const place = which(spec);
    if (place !== null) found.set(place, [...(found.get(place) ?? []), task]);
  }
  return found;
}

type Problem = { message: string; excerpt: string[] } | null;

/**
 * Connects and lists the top; then checks that the buckets the credential's
 * tasks use exist, and the folders its pull tasks read from.
 */
async function problemWith(ws: Workspace, target: CredentialTarget, config: RemoteConfig): Promise<Problem> {
  const exists = async (remote: string) => list(ws, target.rclone, config, remote, true);
  const buckets = places(target.users, (spec) => spec.bucket);
  const top = await exists(config.remote);
  // A key limited to its buckets may not list them all: reaching each of them is enough.
  if (!top.ok && !(top.failure.kind === "denied" && buckets.size > 0)) return { message: top.failure.message, excerpt: top.excerpt };
  const listed = new Set(top.ok ? top.entries!.map((e) => e.name) : []);
  for (const [bucket, tasks] of buckets) {
    if (listed.has(bucket)) continue;
    // Some providers list only the buckets a key may list; look at a missing one directly before saying so.
    const direct = await exists(remotePath({ bucket, folder: "" }));
    if (direct.ok) continue;
    if (direct.failure.kind !== "not-found") return { message: `${bucket}: ${direct.failure.message}`, excerpt: direct.excerpt };
    return { message: `bucket missing: ${bucket} (used by ${tasks.join(", ")}) — cloudsync buckets create ${target.name} ${bucket}`, excerpt: direct.excerpt };
  }
  // A pull from a folder that is not there would fail at its first run; say so now (pushes create theirs).
  const pulled = places(target.users, (spec) => (spec.direction === "pull" && spec.folder !== "" ? remotePath(spec) : null));
  for (const [remote, tasks] of [...pulled].slice(0, MAX_FOLDER_CHECKS)) {
    const where = remote.slice(remote.indexOf(":") + 1);
    const folder = await rcloneQuery(target.rclone, ["lsjson", "--stat", remote], config, ws.env);
    if (folder.ok && (JSON.parse(folder.stdout) as { IsDir?: boolean }).IsDir !== false) continue;
    if (folder.ok) return { message: `not a folder: ${where} is a file (pulled by ${tasks.join(", ")})`, excerpt: [] };
    if (folder.failure.kind !== "not-found") return { message: `${where}: ${folder.failure.message}`, excerpt: folder.excerpt };
    return { message: `folder missing: ${where} (pulled by ${tasks.join(", ")})`, excerpt: folder.excerpt };
  }
  return null;
}

/** Connects with the credential (from the file, else as applied) and says whether it works, and why not. */
export async function verifyCredential(ws: Workspace, name: string): Promise<Verification> {
  const target = await findCredential(ws, name);
  const problem = await problemWith(ws, target, remoteConfig(target.credential, CREDENTIAL_TOP, target.backends));
  return { credential: name, type: target.credential.type, source: target.source, valid: problem === null, error: problem?.message ?? null, excerpt: problem?.excerpt ?? [] };
}

function bucketTarget(target: CredentialTarget): CredentialTarget {
  if (target.backend?.bucketBased) return target;
  throw new UserError(`credential ${target.name} is ${target.credential.type}, which has no buckets`, `cloudsync ls ${target.name} lists its folders.`);
}


export async function listBuckets(ws: Workspace, name: string): Promise<BucketList> {
  const target = bucketTarget(await findCredential(ws, name));
  const config = remoteConfig(target.credential, CREDENTIAL_TOP, target.backends);
  const result = await list(ws, target.rclone, config, config.remote, true);
  if (!result.ok) throw failed(`cannot list the buckets of ${name}`, result);
  return { credential: name, buckets: result.entries!.map((e) => ({ name: e.name, created: e.modified })) };
}

/** Creates a bucket, its name checked against the provider's rules first; refuses one that exists. */
export async function createBucket(ws: Workspace, name: string, bucket: string): Promise<{ credential: string; bucket: string; created: true }> {
  const target = bucketTarget(await findCredential(ws, name));
  const problem = bucketNameProblem(target.backend!.name, bucket);
  if (problem) throw new UserError(`cannot create it: ${problem}`);
  const config = remoteConfig(target.credential, CREDENTIAL_TOP, target.backends);
  const existing = await list(ws, target.rclone, config, config.remote, true);
  if (!existing.ok && existing.failure.kind !== "denied") throw failed(`cannot reach ${name}`, existing);
  // rclone's mkdir succeeds quietly on a bucket that exists; say so instead.
  if (existing.ok && existing.entries!.some((e) => e.name === bucket)) throw new UserError(`bucket ${bucket} already exists on ${name}`, "Nothing was changed.");
  const made = await rcloneQuery(target.rclone, ["mkdir", remotePath({ bucket, folder: "" })], config, ws.env);
  if (!made.ok) throw failed(`cannot create bucket ${bucket} on ${name}`, made);
  return { credential: name, bucket, created: true };
}


/** A credential's directory (`ls CREDENTIAL PATH`), or one inside a task's folder, decrypted (`ls --task TASK PATH`). */
export async function listRemote(ws: Workspace, at: { credential: string; path?: string } | { task: string; destination?: string; path?: string }): Promise<Listing> {
  const path = at.path ?? "";
  let location: string;
  let result: Awaited<ReturnType<typeof list>>;
  if ("task" in at) {
    const target = await findTask(ws, at.task, at.destination);
    const config = remoteConfig(target.credential, target.task, target.backends);
    location = `task ${target.name}${path ? ` ${path}` : ""}${target.task.encryption ? " (decrypted)" : ""}`;
    result = await list(ws, target.rclone, config, below(config.remote, path));
  } else {
    const target = await findCredential(ws, at.credential);
    const config = remoteConfig(target.credential, CREDENTIAL_TOP, target.backends);
    location = `${at.credential}:${path}`;
    // In buckets every path is relative; elsewhere a leading slash means the server's root.
    result = await list(ws, target.rclone, config, remotePath({ bucket: null, folder: target.backend?.bucketBased ? path.replace(/^\/+/, "") : path }));
  }
  if (!result.ok) throw failed(`cannot list ${location}`, result);
  // A task's kept versions are not its content: `versions TASK` lists them.
  const hidden = "task" in at && path.replace(/^\/+|\/+$/g, "") === "" ? VERSIONS_DIRECTORY : null;
  return { location, entries: result.entries!.filter((entry) => entry.name !== hidden) };
}
