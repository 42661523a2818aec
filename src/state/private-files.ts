// Files cloudsync keeps for itself (caches, the dashboard's token, the metrics
// textfile), read and written so that whoever else can write their directory
// gains nothing: reads never block on a FIFO or follow a link, and take only
// this user's regular files; writes go to a temporary file made exclusively
// (never through a link planted under its name), then renamed into place.
import { closeSync, constants, fstatSync, openSync, readSync, renameSync, rmSync, writeSync, fsyncSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/**
 * The bytes of `path` if it is a regular file of this user that nobody else may write (nor read,
 * with `secret`), of at most `limit` bytes; else undefined.
 */
export function readOwnFile(path: string, options: { limit?: number; secret?: boolean } = {}): Buffer | undefined {
  const limit = options.limit ?? 64 * 1024 * 1024;
  const othersMay = options.secret ? 0o077 : 0o022;
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW | constants.O_NOCTTY);
  } catch {
    return undefined;
  }
  try {
    const stat = fstatSync(fd);
    const ours = process.getuid === undefined || stat.uid === process.getuid();
    if (!stat.isFile() || !ours || (stat.mode & othersMay) !== 0 || stat.size > limit) return undefined;
    const buffer = Buffer.allocUnsafe(stat.size);
    let read = 0;
    while (read < buffer.length) {
      const n = readSync(fd, buffer, read, buffer.length - read, read);
      if (n === 0) break;
      read += n;
    }
    return buffer.subarray(0, read);
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** A name beside `path` nobody can guess ahead (exclusive creation is what protects; this only keeps others from blocking it). */
const temporaryBeside = (path: string) => join(dirname(path), `.${basename(path)}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`);

/**
 * Replaces `path` with `data` whole or not at all: written to a temporary file created
 * exclusively beside it (O_EXCL: a link or file planted there fails the write rather than
 * being followed), optionally flushed to the disk, then renamed over `path`.
 */
export function replaceFile(path: string, data: string | Buffer, options: { mode: number; durable?: boolean }): void {
  const temporary = temporaryBeside(path);
  const fd = openSync(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, options.mode);
  try {
    try {
      const bytes = typeof data === "string" ? Buffer.from(data) : data;
      for (let written = 0; written < bytes.length; ) written += writeSync(fd, bytes, written, bytes.length - written);
      if (options.durable) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
