// Working with remotes: verify a credential, list and create buckets, browse.
import { bucketNameProblem } from "../../config/bucket-names.js";
import { below, CREDENTIAL_TOP, remoteConfig, remotePath, type RemoteConfig } from "../../rclone/command.js";
import { parseListing, rcloneQuery, type QueryResult, type RemoteEntry } from "../../rclone/query.js";
import type { TaskSpec } from "../../config/model.js";
import { UserError } from "../../errors.js";
import type { CliContext } from "../context.js";
import { printJson, say } from "../output.js";
import { formatBytes, formatLocal } from "../progress.js";
import { findCredential, findTask, type CredentialTarget } from "../remote-target.js";

/** Enough to catch a mistyped folder without listing a remote once per task of a large file. */
const MAX_FOLDER_CHECKS = 20;

const sourceNote = (ctx: CliContext, target: { source: string }) => (target.source === "file" ? `from ${ctx.configName}` : "as applied");

/** rclone's own last lines, for -v. */
const rcloneSaid = (excerpt: string[], verbose: boolean) => (verbose && excerpt.length > 0 ? `rclone said:\n  ${excerpt.join("\n  ")}` : undefined);

/** A failed query as the user's error, naming what was asked of which remote. */
function failed(what: string, result: Extract<QueryResult, { ok: false }>, verbose: boolean): UserError {
  return new UserError(`${what}: ${result.failure.message}`, rcloneSaid(result.excerpt, verbose));
}

async function list(target: { rclone: string }, config: RemoteConfig, remote: string, ctx: CliContext, dirsOnly = false): Promise<QueryResult & { entries?: RemoteEntry[] }> {
  const result = await rcloneQuery(target.rclone, ["lsjson", remote, ...(dirsOnly ? ["--dirs-only"] : [])], config, ctx.env);
  return result.ok ? { ...result, entries: parseListing(result.stdout) } : result;
}

export async function verifyCommand(ctx: CliContext, name: string): Promise<number> {
  const target = await findCredential(ctx, name);
  const config = remoteConfig(target.credential, CREDENTIAL_TOP);
  const label = `credential ${name} (${target.credential.type}, ${sourceNote(ctx, target)})`;
  const problem = await verify(target, config, ctx);
  if (ctx.json) printJson(ctx, { credential: name, type: target.credential.type, source: target.source, valid: problem === null, error: problem?.message ?? null, excerpt: problem?.excerpt ?? [] });
  else if (problem === null) say(ctx, `${label}: OK`);
  else {
    ctx.stdout.write(`${label}: FAILED — ${problem.message}\n`);
    const said = rcloneSaid(problem.excerpt, ctx.verbose);
    if (said) ctx.stderr.write(`${said}\n`);
  }
  return problem === null ? 0 : 1;
}

type Problem = { message: string; excerpt: string[] } | null;

/** Where on the remote each task's files are (`bucket/folder`), with the tasks that use each place. */
function places(tasks: Record<string, TaskSpec>, which: (spec: TaskSpec) => string | null): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const [task, spec] of Object.entries(tasks)) {
    const place = which(spec);
    if (place !== null) found.set(place, [...(found.get(place) ?? []), task]);
  }
  return found;
}

/**
 * Connects and lists the top; then checks that the buckets the credential's
 * tasks use exist, and the folders its pull tasks read from.
 */
async function verify(target: CredentialTarget, config: RemoteConfig, ctx: CliContext): Promise<Problem> {
  const exists = async (remote: string) => list(target, config, remote, ctx, true);
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
    const folder = await rcloneQuery(target.rclone, ["lsjson", "--stat", remote], config, ctx.env);
    if (folder.ok && (JSON.parse(folder.stdout) as { IsDir?: boolean }).IsDir !== false) continue;
    if (folder.ok) return { message: `not a folder: ${where} is a file (pulled by ${tasks.join(", ")})`, excerpt: [] };
    if (folder.failure.kind !== "not-found") return { message: `${where}: ${folder.failure.message}`, excerpt: folder.excerpt };
    return { message: `folder missing: ${where} (pulled by ${tasks.join(", ")})`, excerpt: folder.excerpt };
  }
  return null;
}

function bucketTarget(target: CredentialTarget): CredentialTarget {
  if (target.backend?.bucketBased) return target;
  throw new UserError(`credential ${target.name} is ${target.credential.type}, which has no buckets`, `cloudsync ls ${target.name} lists its folders.`);
}

export async function bucketsListCommand(ctx: CliContext, name: string): Promise<number> {
  const target = bucketTarget(await findCredential(ctx, name));
  const config = remoteConfig(target.credential, CREDENTIAL_TOP);
  const result = await list(target, config, config.remote, ctx, true);
  if (!result.ok) throw failed(`cannot list the buckets of ${name}`, result, ctx.verbose);
  const buckets = result.entries!.map((e) => ({ name: e.name, created: e.modified }));
  if (ctx.json) printJson(ctx, { credential: name, buckets });
  else if (buckets.length === 0) say(ctx, `${name} has no buckets. cloudsync buckets create ${name} NAME creates one.`);
  else {
    const width = Math.max(...buckets.map((b) => b.name.length));
    for (const b of buckets) ctx.stdout.write(`${b.name.padEnd(width)}  ${b.created ? `created ${formatLocal(new Date(b.created), null)}` : ""}`.trimEnd() + "\n");
  }
  return 0;
}

export async function bucketsCreateCommand(ctx: CliContext, name: string, bucket: string): Promise<number> {
  const target = bucketTarget(await findCredential(ctx, name));
  const problem = bucketNameProblem(target.backend!.name, bucket);
  if (problem) throw new UserError(`cannot create it: ${problem}`);
  const config = remoteConfig(target.credential, CREDENTIAL_TOP);
  const existing = await list(target, config, config.remote, ctx, true);
  if (!existing.ok && existing.failure.kind !== "denied") throw failed(`cannot reach ${name}`, existing, ctx.verbose);
  // rclone's mkdir succeeds quietly on a bucket that exists; say so instead.
  if (existing.ok && existing.entries!.some((e) => e.name === bucket)) throw new UserError(`bucket ${bucket} already exists on ${name}`, "Nothing was changed.");
  const made = await rcloneQuery(target.rclone, ["mkdir", remotePath({ bucket, folder: "" })], config, ctx.env);
  if (!made.ok) throw failed(`cannot create bucket ${bucket} on ${name}`, made, ctx.verbose);
  if (ctx.json) printJson(ctx, { credential: name, bucket, created: true });
  else say(ctx, `Created bucket ${bucket} on ${name}.`);
  return 0;
}

export interface LsOptions {
  task?: string;
}

/** `ls CREDENTIAL [PATH]`, or `ls --task TASK [PATH]` through the task's encryption. */
export async function lsCommand(ctx: CliContext, first: string | undefined, second: string | undefined, options: LsOptions): Promise<number> {
  let where: string;
  let result: Awaited<ReturnType<typeof list>>;
  if (options.task !== undefined) {
    if (second !== undefined) throw new UserError("with --task, give at most a PATH inside the task's folder");
    const target = await findTask(ctx, options.task);
    const config = remoteConfig(target.credential, target.task);
    const path = first ?? "";
    where = `task ${target.name}${path ? ` ${path}` : ""}${target.task.encryption ? " (decrypted)" : ""}`;
    result = await list(target, config, below(config.remote, path), ctx);
  } else {
    const [name, path = ""] = [first, second];
    if (name === undefined) throw new UserError("which credential? cloudsync ls CREDENTIAL [PATH], or cloudsync ls --task TASK [PATH]");
    const target = await findCredential(ctx, name);
    const config = remoteConfig(target.credential, CREDENTIAL_TOP);
    where = `${name}:${path}`;
    // In buckets every path is relative; elsewhere a leading slash means the server's root.
    result = await list(target, config, remotePath({ bucket: null, folder: target.backend?.bucketBased ? path.replace(/^\/+/, "") : path }), ctx);
  }
  if (!result.ok) throw failed(`cannot list ${where}`, result, ctx.verbose);
  const entries = result.entries!;
  if (ctx.json) printJson(ctx, { location: where, entries });
  else if (entries.length === 0) say(ctx, `${where} is empty.`);
  else {
    const sizes = entries.map((e) => (e.is_dir ? "-" : formatBytes(e.size ?? 0)));
    const width = Math.max(...sizes.map((s) => s.length));
    entries.forEach((e, i) => ctx.stdout.write(`${sizes[i]!.padStart(width)}  ${e.modified ? formatLocal(new Date(e.modified), null) : "-".padEnd(16)}  ${e.name}${e.is_dir ? "/" : ""}\n`));
  }
  return 0;
}
