import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from "node:fs";

/** Writes a private file (0600) and flushes it to the disk before returning. */
export function writeDurably(path: string, data: string | Buffer, flag: "w" | "wx" = "w"): void {
  const fd = openSync(path, flag, 0o600);
  try {
    writeSync(fd, typeof data === "string" ? Buffer.from(data) : data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Creates a directory and its parents (0700). Node's recursive mkdir says
 * ENOENT where the real reason is a read-only or forbidden parent; asking
 * once more without recursion gets the real one.
 */
export function makePrivateDirectory(path: string): void {
  try {
    mkdirSync(path, { recursive: true, mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    mkdirSync(path, { mode: 0o700 });
  }
}
