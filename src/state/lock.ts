import { linkSync, mkdirSync, readFileSync, rmdirSync, statSync, unlinkSync, utimesSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { fsReason, UserError } from "../errors.js";
import { bootId, processStartTime } from "../process/identity.js";
import { describeHolder, type LockHolder } from "../model/lock.js";

/** The holder refreshes its lock file's mtime this often… */
export const HEARTBEAT_MS = 10_000;
/** …so a lock not refreshed for this long has no live holder, on whatever host. */
export const STALE_AFTER_MS = 60_000;
/** A takeover takes milliseconds; its marker left this long by a process that died is stale. */
const TAKEOVER_STALE_MS = 10_000;
const POLL_MS = 50;

/** The lock is held by someone alive (as far as can be told): waiting did not help. */
export class LockedError extends UserError {
  constructor(
    readonly holder: LockHolder | null,
    path: string,
  ) {
    super(
      holder ? `the state is locked by ${describeHolder(holder)}` : `the state is locked (${path})`,
      "Wait for it to finish and try again. If no cloudsync holds it, cloudsync unlock removes it.",
    );
  }
}

/** What a lock file says, and whether its holder is gone. */
export interface LockState {
  /** null when the file cannot be read as a holder (damaged). */
  holder: LockHolder | null;
  /** Why the lock is stale, or null while its holder may be alive. */
  stale: string | null;
  /** The file's text, to make sure a takeover replaces exactly what was judged stale. */
  text: string;
}

function alive(pid: number, started: string | null): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ESRCH") return false;
  }
  const now = processStartTime(pid);
  return started === null || now === null || now === started;
}

/** Whether a holder is alive on this machine (same host name and boot): the one case where a pid can be asked. */
export function isLocalHolder(holder: LockHolder): boolean {
  return holder.host === hostname() && (holder.boot_id === null || bootId() === null || holder.boot_id === bootId());
}

/**
 * Why a lock is stale, or null: a holder on this host (same boot) is stale
 * once its process is gone; this host after a restart, or any other host
 * (a container gets a new host name at every start), once the lock has not
 * been refreshed for a minute.
 */
export function staleReason(holder: LockHolder | null, ageMs: number): string | null {
  if (holder && holder.host === hostname() && holder.boot_id !== null && bootId() !== null && holder.boot_id !== bootId()) return "this machine has restarted since";
  if (holder && isLocalHolder(holder)) return alive(holder.pid, holder.pid_started) ? null : "its process is no longer running";
  if (ageMs > STALE_AFTER_MS) return `it has not been refreshed for ${Math.round(ageMs / 1000)} s`;
  return null;
}

/** Whether the holder of a lock is certainly gone. */
export function holderIsDead(holder: LockHolder): boolean {
  return isLocalHolder(holder) && !alive(holder.pid, holder.pid_started);
}

function parseHolder(text: string): LockHolder | null {
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    return typeof value.pid === "number" && typeof value.host === "string" ? ({ boot_id: null, pid_started: null, command: "?", since: "?", ...value } as LockHolder) : null;
  } catch {
    return null;
  }
}

export interface LockOptions {
  command: string;
  /** How long to wait for a live holder before giving up. */
  waitMs: number;
  /** Told once when the lock is found held and waiting begins. */
  onWait?: (holder: LockHolder) => void;
  /** Told when a stale lock is taken over, with why it was stale. */
  onTakeover?: (holder: LockHolder | null, reason: string) => void;
  /** Told if the lock file disappears or is taken while held (someone ran `unlock`, or deleted the directory). */
  onLost?: () => void;
  now?: () => Date;
}

/**
 * An exclusive lock held as a file: created atomically with its contents
 * (written aside, then hard-linked into place), refreshed while held (its
 * mtime, every 10 s), released by removing it. A stale lock is taken over
 * under a takeover marker (an atomic mkdir), so of many processes taking
 * over at once exactly one wins.
 */
export class FileLock {
  private readonly heartbeat: NodeJS.Timeout;

  private constructor(
    readonly path: string,
    private readonly token: string,
    onLost: (() => void) | undefined,
  ) {
    this.heartbeat = setInterval(() => {
      if (!this.refresh()) {
        clearInterval(this.heartbeat);
        onLost?.();
      }
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  static async acquire(path: string, options: LockOptions): Promise<FileLock> {
    const now = options.now ?? (() => new Date());
    const me: LockHolder = {
      pid: process.pid,
      pid_started: processStartTime(process.pid),
      host: hostname(),
      boot_id: bootId(),
      command: options.command,
      since: now().toISOString(),
    };
    const token = JSON.stringify(me);
    const aside = `${path}.${process.pid}.new`;
    try {
      writeFileSync(aside, token, { mode: 0o600 });
    } catch (error) {
      throw new UserError(`cannot take the lock ${path}: ${fsReason(error)}`);
    }
    const deadline = Date.now() + options.waitMs;
    let told = false;
    try {
      for (;;) {
        if (link(aside, path)) return new FileLock(path, token, options.onLost);
        const state = FileLock.inspect(path);
        if (state?.stale) {
          const takenOver = await takeOver(path, state, aside);
          if (takenOver) {
            options.onTakeover?.(state.holder, state.stale);
            return new FileLock(path, token, options.onLost);
          }
          continue;
        }
        if (Date.now() >= deadline) throw new LockedError(state?.holder ?? null, path);
        if (state?.holder && !told) {
          told = true;
          options.onWait?.(state.holder);
        }
        await sleep(POLL_MS * 2);
      }
    } finally {
      try {
        unlinkSync(aside);
      } catch {
        // already gone
      }
    }
  }

  /** The lock at `path`: who holds it and whether that holder is gone; undefined if there is no lock. */
  static inspect(path: string): LockState | undefined {
    let text: string;
    let ageMs: number;
    try {
      ageMs = Date.now() - statSync(path).mtimeMs;
      text = readFileSync(path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw new UserError(`cannot read the lock ${path}: ${fsReason(error)}`);
    }
    const holder = parseHolder(text);
    return { holder, stale: staleReason(holder, ageMs), text };
  }

  /** Who holds the lock at `path`, if anyone. */
  static holder(path: string): LockHolder | undefined {
    return FileLock.inspect(path)?.holder ?? undefined;
  }

  /** Marks the lock as alive; false if it is no longer ours. */
  refresh(): boolean {
    try {
      if (readFileSync(this.path, "utf8") !== this.token) return false;
      const now = new Date();
      utimesSync(this.path, now, now);
      return true;
    } catch {
      return false;
    }
  }

  /** Removes the lock if it is still ours. */
  release(): void {
    clearInterval(this.heartbeat);
    try {
      if (readFileSync(this.path, "utf8") === this.token) unlinkSync(this.path);
    } catch {
      // already gone
    }
  }
}

/** Creates the lock from the file written aside; false if a lock is there already. */
function link(aside: string, path: string): boolean {
  try {
    linkSync(aside, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw new UserError(`cannot take the lock ${path}: ${fsReason(error)}`);
  }
}

/**
 * Replaces a stale lock by ours, if it is still the very lock judged stale.
 * Only the process that makes the takeover marker (mkdir is atomic) may
 * replace it; the others wait for the marker to go and look again.
 */
async function takeOver(path: string, stale: LockState, aside: string): Promise<boolean> {
  const marker = `${path}.takeover`;
  try {
    mkdirSync(marker, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw new UserError(`cannot take over the lock ${path}: ${fsReason(error)}`);
    // Another process is taking over; a marker left by one that died goes after a while.
    try {
      if (Date.now() - statSync(marker).mtimeMs > TAKEOVER_STALE_MS) rmdirSync(marker);
    } catch {
      // gone meanwhile
    }
    await sleep(POLL_MS);
    return false;
  }
  try {
    const now = FileLock.inspect(path);
    if (now && (now.text !== stale.text || !now.stale)) return false;
    if (now) unlinkSync(path);
    return link(aside, path);
  } finally {
    rmdirSync(marker);
  }
}

/** `cloudsync unlock`: removes a lock unless its holder is alive on this machine. Returns what it removed. */
export function removeLock(path: string): LockState | undefined {
  const state = FileLock.inspect(path);
  if (!state) return undefined;
  if (state.holder && isLocalHolder(state.holder) && !state.stale) {
    throw new UserError(`the lock is held by ${describeHolder(state.holder)}, which is running`, "Stop it first (cloudsync abort TASK for a run); unlock is for locks whose holder is gone.");
  }
  unlinkSync(path);
  return state;
}
