// Telling processes apart across time: a pid can be reused, a host name can
// change with every container start; a start time and a boot id cannot.
import { readdirSync, readFileSync, statSync } from "node:fs";
import type { ProcessGroup } from "../model/run-record.js";

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

/**
 * The process groups of this user's processes that were started with `argument`
 * among their arguments (Linux's /proc; none elsewhere). For a program whose
 * starter died before it could note the group: its arguments still name it.
 */
export function groupsStartedWith(argument: string): ProcessGroup[] {
  const uid = process.getuid?.();
  const groups = new Map<number, ProcessGroup>();
  let pids: string[];
  try {
    pids = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  for (const pid of pids) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").includes(argument)) continue;
      if (uid !== undefined && statSync(`/proc/${pid}`).uid !== uid) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      // Field 5, counted after the command name, which is in parentheses and may contain spaces.
      const pgid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]);
      if (pgid > 1 && !groups.has(pgid)) groups.set(pgid, { pgid, started: processStartTime(pgid) });
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return [...groups.values()];
}
