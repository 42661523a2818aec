import { closeSync, fsyncSync, openSync, writeSync } from "node:fs";

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
