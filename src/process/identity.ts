// Telling processes apart across time: a pid can be reused, a host name can
// change with every container start; a start time and a boot id cannot.
import { readFileSync } from "node:fs";

/** The start time of a process in clock ticks since boot (Linux), or null where unknown. */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Field 22, counted after the command name, which is in parentheses and may contain spaces.
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? null;
  } catch {
    return null;
  }
}

let cachedBootId: string | null | undefined;

/** This boot of this machine (Linux), or null where unknown; the same across containers sharing a kernel. */
export function bootId(): string | null {
  if (cachedBootId === undefined) {
    try {
      cachedBootId = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
    } catch {
      cachedBootId = null;
    }
  }
  return cachedBootId;
}
