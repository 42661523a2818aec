import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, lstatSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { testEnv } from "./cli.js";

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
