import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, lstatSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { testEnv } from "./cli.js";
import type { Endpoint } from "./servers.js";

/** Writes files (path → content) under root. */
export function writeTree(root: string, files: Record<string, string | Buffer>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

/** A small tree of mixed files: text, binary, nested, a file of 300 KB. */
export function sampleTree(): Record<string, Buffer> {
  return {
    "readme.txt": Buffer.from("hello from cloudsync\n"),
    "photos/2024/a.jpg": randomBytes(4096),
    "photos/2024/b.jpg": randomBytes(12_345),
    "docs/big.bin": randomBytes(300_000),
    "docs/notes/äöü ünïcode.md": Buffer.from("# ünïcode name\n"),
  };
}

/** path → sha256 of the bytes: equal digests mean byte-for-byte equal files, and compare fast. */
export function digests(files: Record<string, Buffer>): Record<string, string> {
  return Object.fromEntries(Object.entries(files).map(([path, bytes]) => [path, createHash("sha256").update(bytes).digest("hex")]));
}

/** Every regular file under root, path → sha256 of its bytes (empty when root is missing). */
export function readTree(root: string): Record<string, string> {
  const out: Record<string, Buffer> = {};
  const walk = (dir: string) => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      const path = join(dir, name);
      const stat = lstatSync(path);
      if (stat.isDirectory()) walk(path);
      else if (stat.isFile()) out[relative(root, path)] = readFileSync(path);
    }
  };
  walk(root);
  return digests(out);
}

/**
 * Copies with rclone itself, to put files on a remote or see what a run left
 * there. Asynchronous: s3rver answers from this very process.
 */
export async function copyWithRclone(env: Record<string, string>, from: string, to: string): Promise<void> {
  await promisify(execFile)("rclone", ["copy", "--fast-list", from, to], { env: testEnv({ RCLONE_CONFIG: "/dev/null", ...env }) });
}

/** rclone's own configuration of the endpoint as remote `direct`, for looking behind cloudsync's back. */
export function directRemote(endpoint: Endpoint): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(endpoint.credential)) env[`RCLONE_CONFIG_DIRECT_${k.toUpperCase()}`] = String(v);
  return env;
}

/** What is on the endpoint at that folder, read without cloudsync (`scratch`: a directory for the copy). */
export async function remoteTree(endpoint: Endpoint, folder: string, scratch: string): Promise<Record<string, string>> {
  if (endpoint.root) return readTree(endpoint.name === "local" ? folder : join(endpoint.root, folder));
  const into = join(scratch, `fetch-${Math.random().toString(36).slice(2)}`);
  await copyWithRclone(directRemote(endpoint), `direct:${endpoint.bucket}/${folder}`, into);
  return readTree(into);
}

/** Puts files on the endpoint at that folder, without cloudsync (`scratch`: a directory to stage them in). */
export async function seedRemote(endpoint: Endpoint, folder: string, files: Record<string, string | Buffer>, scratch: string): Promise<void> {
  if (endpoint.root) {
    writeTree(endpoint.name === "local" ? folder : join(endpoint.root, folder), files);
    return;
  }
  const staging = join(scratch, `stage-${Math.random().toString(36).slice(2)}`);
  writeTree(staging, files);
  await copyWithRclone(directRemote(endpoint), staging, `direct:${endpoint.bucket}/${folder}`);
}
