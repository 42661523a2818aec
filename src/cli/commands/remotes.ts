import { createBucket, listBuckets, listRemote, RemoteError, verifyCredential } from "../../app/remotes.js";
import { UserError } from "../../errors.js";
import { rcloneSaid, renderBuckets, listingJson, renderListing, verificationJson, verificationLine } from "../../views/remotes.js";
import type { CliContext } from "../context.js";
import { printJson, say } from "../output.js";

/** rclone's own words go with a failure only when asked for (-v). */
async function withExcerpt<T>(ctx: CliContext, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof RemoteError && ctx.verbose) throw new UserError(error.message, rcloneSaid(error.excerpt));
    throw error;
  }
}

export async function verifyCommand(ctx: CliContext, name: string): Promise<number> {
  const result = await verifyCredential(ctx.workspace, name);
  if (ctx.json) printJson(ctx, verificationJson(result));
  else if (result.valid) say(ctx, verificationLine(result, ctx.configName));
  else {
    ctx.stdout.write(`${verificationLine(result, ctx.configName)}\n`);
    const said = ctx.verbose ? rcloneSaid(result.excerpt) : undefined;
    if (said) ctx.stderr.write(`${said}\n`);
  }
  return result.valid ? 0 : 1;
}

export async function bucketsListCommand(ctx: CliContext, name: string): Promise<number> {
  const list = await withExcerpt(ctx, listBuckets(ctx.workspace, name));
  if (ctx.json) printJson(ctx, list);
  else ctx.stdout.write(`${renderBuckets(list)}\n`);
  return 0;
}

export async function bucketsCreateCommand(ctx: CliContext, name: string, bucket: string): Promise<number> {
  const created = await withExcerpt(ctx, createBucket(ctx.workspace, name, bucket));
  if (ctx.json) printJson(ctx, created);
  else say(ctx, `Created bucket ${bucket} on ${name}.`);
  return 0;
}

export interface LsOptions {
  task?: string;
  destination?: string;
}

/** `ls CREDENTIAL [PATH]`, or `ls --task TASK [PATH]` through the task's encryption. */
export async function lsCommand(ctx: CliContext, first: string | undefined, second: string | undefined, options: LsOptions): Promise<number> {
  let at: Parameters<typeof listRemote>[1];
  if (options.task !== undefined) {
    if (second !== undefined) throw new UserError("with --task, give at most a PATH inside the task's folder");
    at = { task: options.task, destination: options.destination, path: first };
  } else {
    if (first === undefined) throw new UserError("which credential? cloudsync ls CREDENTIAL [PATH], or cloudsync ls --task TASK [PATH]");
    at = { credential: first, path: second };
  }
  const listing = await withExcerpt(ctx, listRemote(ctx.workspace, at));
  if (ctx.json) printJson(ctx, listingJson(listing));
  else if (listing.entries.length === 0) say(ctx, renderListing(listing));
  else ctx.stdout.write(`${renderListing(listing)}\n`);
  return 0;
}
