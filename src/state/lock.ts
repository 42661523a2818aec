import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { UserError } from "../errors.js";
import { processStartTime } from "../process/identity.js";

export interface LockHolder {
  pid: number;
  /** When the holding process started (Linux), to tell a reused pid from the holder. */
  pid_started: string | null;
  host: string;
  command: string;
  since: string;
}

/** Whether the holder of a lock is certainly gone (on this host). */
export function holderIsDead(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return false;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
  const started = processStartTime(holder.pid);
  return holder.pid_started !== null && started !== null && started !== holder.pid_started;
}

function readHolder(path: string): LockHolder | undefined {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as LockHolder;
  } catch {
    return undefined;
  }
}

export function describeHolder(holder: LockHolder): string {
  return `process ${holder.pid} ("cloudsync ${holder.command}") on ${holder.host}, since ${holder.since}`;
}

export interface LockOptions {
  command: string;
  /** How long to wait for a live holder before giving up. */
  waitMs: number;
  /** Told once when the lock is found held and waiting begins. */
  onWait?: (holder: LockHolder) => void;
  /** Told when a dead holder's lock is taken over. */
  onTakeover?: (holder: LockHolder) => void;
  now?: () => Date;
}

/**
 * An exclusive lock held as a file: created atomically with its contents
 * (written aside, then hard-linked into place), released by removing it.
 * A lock whose holder died is taken over; a live holder is waited for, then
 * named in the refusal.
 */
export class FileLock {
  private constructor(
    readonly path: string,
    private readonly token: string,
  ) {}

  static async acquire(path: string, options: LockOptions): Promise<FileLock> {
    const now = options.now ?? (() => new Date());
    const me: LockHolder = {
      pid: process.pid,
      pid_started: processStartTime(process.pid),
      host: hostname(),
      command: options.command,
      since: now().toISOString(),
    };
    const token = JSON.stringify(me);
    const aside = `${path}.${process.pid}.new`;
    writeFileSync(aside, token, { mode: 0o600 });
    const deadline = Date.now() + options.waitMs;
    let told = false;
    try {
      for (;;) {
        try {
          linkSync(aside, path);
          return new FileLock(path, token);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
        }
        const holder = readHolder(path);
        if (holder && holderIsDead(holder)) {
          // Renaming is atomic: of several processes taking over, exactly one succeeds.
          const stale = `${path}.${process.pid}.stale`;
          try {
            renameSync(path, stale);
            unlinkSync(stale);
            options.onTakeover?.(holder);
          } catch {
            // Someone else took it over first; go round again.
          }
          continue;
        }
        if (Date.now() >= deadline) {
          throw new UserError(
            holder ? `the state is locked by ${describeHolder(holder)}` : `the state is locked (${path})`,
            `Wait for it to finish and try again. If no cloudsync is running, remove ${path}.`,
          );
        }
        if (holder && !told) {
          told = true;
          options.onWait?.(holder);
        }
        await sleep(100);
      }
    } finally {
      try {
        unlinkSync(aside);
      } catch {
        // already gone
      }
    }
  }

  /** Who holds the lock at `path`, if anyone. */
  static holder(path: string): LockHolder | undefined {
    return readHolder(path);
  }

  /** Removes the lock if it is still ours. */
  release(): void {
    try {
      if (readFileSync(this.path, "utf8") === this.token) unlinkSync(this.path);
    } catch {
      // already gone
    }
  }
}
