// The fleet's shared folder, through rclone: a host's file written so that no
// reader ever sees half of it, and every host's file fetched in one rclone run.
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { below, type RemoteConfig } from "../rclone/command.js";
import { rcloneQuery } from "../rclone/query.js";
import type { RemoteFailure } from "../rclone/remote-errors.js";
import { HOST_FILE_SUFFIX, PARTIAL } from "./host-file.js";
import { makePrivateDirectory } from "../state/durable.js";

/** A host's file is never bigger than this; a bigger one is read as far as this (and is then untrusted). */
const MAX_HOST_FILE_BYTES = 8 * 1024 * 1024;

export interface FleetFolder {
  rclone: string;
  remote: RemoteConfig;
  env: NodeJS.ProcessEnv;
  /** A private directory of the reader's or writer's own (in its state directory). */
  workDir: string;
}

export type FolderResult<T> = { ok: true; value: T } | { ok: false; failure: RemoteFailure };

/**
 * Writes HOST.json: uploaded under a name readers skip, then renamed over the old file
 * (a server-side move where the backend has one), so a reader sees the old file or the new one.
 */
export async function publishHostFile(folder: FleetFolder, host: string, text: string): Promise<FolderResult<null>> {
  makePrivateDirectory(folder.workDir);
  const local = join(folder.workDir, `${host}${HOST_FILE_SUFFIX}`);
  writeFileSync(local, text, { mode: 0o600 });
  const partial = below(folder.remote.remote, `${host}${HOST_FILE_SUFFIX}.partial-${randomBytes(4).toString("hex")}`);
  const uploaded = await rcloneQuery(folder.rclone, ["copyto", local, partial], folder.remote, folder.env);
  if (!uploaded.ok) return uploaded;
  const moved = await rcloneQuery(folder.rclone, ["moveto", partial, below(folder.remote.remote, `${host}${HOST_FILE_SUFFIX}`)], folder.remote, folder.env);
  if (!moved.ok) await rcloneQuery(folder.rclone, ["deletefile", partial], folder.remote, folder.env);
  return moved.ok ? { ok: true, value: null } : moved;
}

/** Every host's file in the folder, as text (an empty list when the folder does not exist yet). */
export async function fetchHostFiles(folder: FleetFolder): Promise<FolderResult<{ name: string; text: string }[]>> {
  const into = join(folder.workDir, "hosts");
  makePrivateDirectory(folder.workDir);
  // A copy of the folder's top-level host files and uploads in progress, made equal on every read.
  const sync = () => rcloneQuery(folder.rclone, ["sync", folder.remote.remote, into, "--include", `/*${HOST_FILE_SUFFIX}`, "--include", `/*${HOST_FILE_SUFFIX}.partial-*`, "--max-depth", "1"], folder.remote, folder.env);
  // A host may replace its file while it is copied (rclone then finds the hashes differ): once more.
  let fetched = await sync();
  if (!fetched.ok && fetched.failure.kind === "other") fetched = await sync();
  if (!fetched.ok) {
    // A folder no host has written to yet is an empty fleet; a missing bucket is a mistake.
    if (fetched.failure.kind !== "not-found" || fetched.failure.message.startsWith("bucket missing")) return fetched;
    rmSync(into, { recursive: true, force: true });
    return { ok: true, value: [] };
  }
  // rclone makes no directory for an empty folder.
  const names = (existsSync(into) ? readdirSync(into) : []).filter((name) => name.endsWith(HOST_FILE_SUFFIX) || PARTIAL.test(name));
  return { ok: true, value: names.sort().map((name) => ({ name, text: readAtMost(join(into, name)) })) };
}

function readAtMost(path: string): string {
  const bytes = readFileSync(path);
  return bytes.subarray(0, MAX_HOST_FILE_BYTES).toString("utf8");
}

