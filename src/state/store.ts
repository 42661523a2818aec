import { randomBytes, randomUUID } from "node:crypto";
import { closeSync, existsSync, fsyncSync, linkSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync } from "node:fs";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { fsReason, UserError } from "../errors.js";
import { makePrivateDirectory, writeDurably } from "./durable.js";
import { FileLock, type LockOptions } from "./lock.js";
import { emptyState, stateProblem, withLaterFields, type AppliedState } from "../model/applied-state.js";

const STATE = "state.json";
const BACKUP = "state.backup.json";
const LOCK = "state.lock";
const KEY = "plan.key";

function fsyncDirectory(dir: string): void {
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function pidIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

/**
 * The state directory: the applied state (with a backup of the one before),
 * the lock that serialises writers, and the key that makes plan digests.
 * Every write is atomic: a crash at any moment leaves the old or the new file.
 */
export class StateStore {
  constructor(readonly dir: string) {}

  get statePath(): string {
    return join(this.dir, STATE);
  }

  get backupPath(): string {
    return join(this.dir, BACKUP);
  }

  /**
   * Creates the directory (0700) if needed. An existing one keeps its mode:
   * it may be shared on purpose, and `--state-dir /tmp` must not lock
   * everyone else out of /tmp (such a directory is refused instead, see check).
   */
  ensureDir(): void {
    try {
      makePrivateDirectory(this.dir);
    } catch (error) {
      throw new UserError(`cannot create the state directory ${this.dir}: ${fsReason(error)}`, "Choose another with --state-dir or settings.state_dir.");
    }
  }

  /**
   * Refuses a state directory others can write to (they could plant a state
   * whose scripts cloudsync would run); returns a warning for one others can
   * read. Nothing to say about a directory that does not exist yet.
   */
  check(): string | undefined {
    let mode: number;
    try {
      mode = statSync(this.dir).mode;
    } catch {
      return undefined;
    }
    const octal = (mode & 0o7777).toString(8).padStart(4, "0");
    if (mode & 0o002) {
      throw new UserError(`the state directory ${this.dir} can be written by every user (mode ${octal}): refusing to use it`, "Point --state-dir or settings.state_dir at a directory of your own (cloudsync creates it with mode 0700).");
    }
    if (mode & 0o004) return `the state directory ${this.dir} can be read by other users (mode ${octal}); chmod 700 ${this.dir} keeps its run logs private`;
    return undefined;
  }

  /** The applied state; an empty one (serial 0) if nothing was applied yet. Never resets a damaged file. */
  read(): AppliedState {
    let text: string;
    try {
      text = readFileSync(this.statePath, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return emptyState();
      throw new UserError(`cannot read the state file ${this.statePath}: ${fsReason(error)}`);
    }
    let value: unknown;
    let problem: string | undefined;
    try {
      value = JSON.parse(text);
      problem = stateProblem(value);
    } catch {
      problem = text.trim() === "" ? "it is empty" : "it is not valid JSON";
    }
    if (problem) {
      const hint = existsSync(this.backupPath)
        ? `Nothing was changed. The state before the last apply is kept in ${this.backupPath}; to return to it:\n  cp ${this.backupPath} ${this.statePath}`
        : `Nothing was changed, and there is no backup. To start from an empty state (every credential and task is then created anew), move the file away.`;
      throw new UserError(`the state file ${this.statePath} is damaged: ${problem}`, hint);
    }
    return withLaterFields(value as AppliedState);
  }

  /** Replaces the state atomically, keeping the current one as the backup. Call it holding the state lock (`lock`). */
  write(state: AppliedState): void {
    if (state.lineage === "") state = { ...state, lineage: randomUUID() };
    this.ensureDir();
    const temp = join(this.dir, `.${STATE}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
    try {
      writeDurably(temp, `${JSON.stringify(state, null, 2)}\n`, "wx");
      if (existsSync(this.statePath)) {
        // A hard link and a rename: the backup appears whole, and state.json is never missing.
        const backupTemp = join(this.dir, `.${BACKUP}.${process.pid}.tmp`);
        linkSync(this.statePath, backupTemp);
        renameSync(backupTemp, this.backupPath);
      }
      renameSync(temp, this.statePath);
      fsyncDirectory(this.dir);
    } catch (error) {
      try {
        unlinkSync(temp);
      } catch {
        // never created
      }
      throw new UserError(`cannot write the state in ${this.dir}: ${fsReason(error)}`, "Nothing was changed.");
    }
  }

  /**
   * Temporary files of writers and lockers that died half-way (kill -9); each
   * name carries its pid. The state's own temporary files are written only
   * under the state lock, which we have just taken: any there now is a dead
   * writer's, even if its pid has been given to another process since (or is
   * one on another host that shares the directory).
   */
  private removeLeftovers(): void {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return; // a sweep is a courtesy; nothing depends on it
    }
    for (const name of names) {
      const pid = /\.(\d+)(?:\.[0-9a-f]+)?\.(?:tmp|new|stale)$/.exec(name)?.[1];
      if (!pid) continue;
      // This process has written nothing under the lock yet: such a file with its pid is a dead writer's whose pid came round again.
      const writtenUnderLock = name.startsWith(`.${STATE}.`) || name.startsWith(`.${BACKUP}.`);
      if (!writtenUnderLock && (Number(pid) === process.pid || pidIsAlive(Number(pid)))) continue;
      try {
        unlinkSync(join(this.dir, name));
      } catch {
        // removed by another writer
      }
    }
  }

  /**
   * Sweeps what dead writers left if the lock is free now, without waiting for
   * anyone: for an apply with nothing to write, which otherwise never takes it.
   */
  async tidy(options: LockOptions): Promise<void> {
    if (!existsSync(this.dir)) return;
    try {
      (await this.lock({ ...options, waitMs: 0 })).release();
    } catch {
      // held by a live writer, who sweeps when it is done; or not ours to write
    }
  }

  /** Takes the writers' lock. */
  async lock(options: LockOptions): Promise<FileLock> {
    this.ensureDir();
    try {
      const lock = await FileLock.acquire(join(this.dir, LOCK), options);
      this.removeLeftovers();
      return lock;
    } catch (error) {
      if (error instanceof UserError) throw error;
      throw new UserError(`cannot lock the state in ${this.dir}: ${fsReason(error)}`);
    }
  }

  /** A random key kept in the state directory, so plan files can carry digests that reveal nothing. */
  planKey(): Buffer {
    const path = join(this.dir, KEY);
    try {
      return readFileSync(path);
    } catch {
      this.ensureDir();
      const aside = `${path}.${process.pid}.tmp`;
      try {
        writeDurably(aside, randomBytes(32));
      } catch (error) {
        rmSync(aside, { force: true });
        throw new UserError(`cannot write ${path}: ${fsReason(error)}`);
      }
      try {
        // link fails if another process made the key meanwhile; theirs wins.
        linkSync(aside, path);
      } catch {
        // keep theirs
      } finally {
        unlinkSync(aside);
      }
      return readFileSync(path);
    }
  }
}
