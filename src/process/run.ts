// The one way cloudsync starts a child process (rclone, scripts, btrfs/zfs,
// remote queries): in a process group of its own, stopped as a group
// (SIGTERM, then SIGKILL after the grace time), and never outlived by
// anything it started.
import { spawn } from "node:child_process";
import { closeSync, constants, openSync, readSync } from "node:fs";
import { StringDecoder } from "node:string_decoder";
import { setTimeout as sleep } from "node:timers/promises";
import type { ProcessGroup } from "../model/run-record.js";
import { processStartTime } from "./identity.js";

const GROUP_POLL_MS = 50;

/** A line longer than this is handed on in pieces: a program that writes without a newline must not fill memory. */
const LONGEST_LINE = 64 * 1024;

/**
 * Splits what a program writes into lines as readline does (at \n, \r\n or a lone \r), handing
 * on each LONGEST_LINE piece of a longer one.
 */
class LineSplitter {
  private readonly decoder = new StringDecoder("utf8");
  private readonly lineEnd = /\r\n|\r|\n/g;
  private pending = "";

  constructor(private readonly onLine: (line: string) => void) {}

  write(chunk: Buffer): void {
    this.take(this.decoder.write(chunk), false);
  }

  end(): void {
    this.take(this.decoder.end(), true);
    if (this.pending !== "") this.onLine(this.pending);
    this.pending = "";
  }

  private take(text: string, atEnd: boolean): void {
    const { lineEnd } = this;
    this.pending += text;
    let start = 0;
    lineEnd.lastIndex = 0;
    for (let found = lineEnd.exec(this.pending); found; found = lineEnd.exec(this.pending)) {
      // A \r that ends what has arrived may be the first half of \r\n: wait for the next piece.
      if (!atEnd && found[0] === "\r" && found.index === this.pending.length - 1) break;
      this.onLine(this.pending.slice(start, found.index));
      start = found.index + found[0].length;
    }
    this.pending = this.pending.slice(start);
    while (this.pending.length >= LONGEST_LINE) {
      this.onLine(this.pending.slice(0, LONGEST_LINE));
      this.pending = this.pending.slice(LONGEST_LINE);
    }
  }
}

function forEachLine(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  const lines = new LineSplitter(onLine);
  stream.on("data", (chunk: Buffer) => lines.write(chunk));
  stream.on("end", () => lines.end());
}

/** How often a followed file is read. */
const TAIL_MS = 100;

/**
 * Follows a file a child process writes its log to (made empty first), line by line, reading what
 * was added every TAIL_MS; `stop` reads the rest. A pipe hands over each line a program writes as
 * one read, and Node's stream machinery costs ~0.1 ms a read: 2,000 lines of a transfer took
 * ~230 ms of CPU beside rclone; read in blocks from a file, ~25 ms.
 */
export function followFile(path: string, onLine: (line: string) => void): { stop: () => void } {
  const fd = openSync(path, constants.O_RDWR | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o600);
  const lines = new LineSplitter(onLine);
  const buffer = Buffer.alloc(64 * 1024);
  let position = 0;
  const readAdded = () => {
    for (let read = readSync(fd, buffer, 0, buffer.length, position); read > 0; read = readSync(fd, buffer, 0, buffer.length, position)) {
      position += read;
      lines.write(buffer.subarray(0, read));
    }
  };
  const timer = setInterval(readAdded, TAIL_MS);
  return {
    stop: () => {
      clearInterval(timer);
      try {
        readAdded();
        lines.end();
      } finally {
        closeSync(fd);
      }
    },
  };
}

export interface ProcessRequest {
  command: string;
  args: readonly string[];
  env: NodeJS.ProcessEnv;
  /** Aborting it stops the group: SIGTERM, then SIGKILL after `graceMs`. */
  signal?: AbortSignal;
  /** Stops the group when it has run this long (null: no limit). */
  timeoutMs?: number | null;
  graceMs: number;
  /** Each line of standard output; calling `stop` ends the group early (outcome stoppedBy "caller"). */
  onStdout?: (line: string, stop: () => void) => void;
  onStderr?: (line: string) => void;
  /** Keep both outputs whole, as written (for a program's answer, such as JSON), instead of handing on lines. */
  capture?: boolean;
  /** Told the group's id (its leader's pid) and the leader's start time once it runs, so another process can end it later. */
  onSpawn?: (group: ProcessGroup) => void;
}


export interface ProcessOutcome {
  /** The leader's exit code; null when a signal ended it. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stoppedBy: "abort" | "timeout" | "caller" | null;
  /** Set when the program could not be started at all (ENOENT: not found). */
  spawnError: NodeJS.ErrnoException | null;
  /** What it wrote, with `capture`. */
  stdout?: string;
  stderr?: string;
}

/** Sends a signal to a whole process group; false if the group is gone. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

export const groupExists = (pgid: number) => signalGroup(pgid, 0 as unknown as NodeJS.Signals);

/**
 * Runs a program as the leader of a new process group and resolves once the
 * leader has exited and nothing of its group is left: anything the leader
 * left behind (a script's `sleep 300 &`) gets SIGTERM, then SIGKILL.
 */
export function runProcess(request: ProcessRequest): Promise<ProcessOutcome> {
  return new Promise((resolve) => {
    const child = spawn(request.command, [...request.args], { env: request.env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    let stoppedBy: ProcessOutcome["stoppedBy"] = null;
    let killTimer: NodeJS.Timeout | undefined;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let spawnError: NodeJS.ErrnoException | null = null;

    const endGroup = () => {
      if (!child.pid || killTimer) return;
      if (!signalGroup(child.pid, "SIGTERM")) return;
      killTimer = setTimeout(() => signalGroup(child.pid!, "SIGKILL"), request.graceMs);
      killTimer.unref();
    };
    const stop = (reason: NonNullable<ProcessOutcome["stoppedBy"]>) => {
      if (stoppedBy || exit) return;
      stoppedBy = reason;
      endGroup();
    };
    const onAbort = () => stop("abort");
    request.signal?.addEventListener("abort", onAbort, { once: true });
    const timeout = request.timeoutMs == null ? undefined : setTimeout(() => stop("timeout"), Math.max(0, request.timeoutMs));

    const stopEarly = () => stop("caller");
    const captured = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
    if (request.capture) {
      child.stdout.on("data", (chunk: Buffer) => captured.stdout.push(chunk));
      child.stderr.on("data", (chunk: Buffer) => captured.stderr.push(chunk));
    } else if (request.onStdout) {
      const onStdout = request.onStdout;
      forEachLine(child.stdout, (line) => onStdout(line, stopEarly));
    } else child.stdout.resume();
    if (request.capture) {
      // (collected above)
    } else if (request.onStderr) forEachLine(child.stderr, request.onStderr);
    else child.stderr.resume();

    // Told as spawn returns (the child has exec'd by then), not on the 'spawn' event a tick later:
    // a cloudsync killed in between would leave a group that nobody knows to end.
    if (child.pid !== undefined) request.onSpawn?.({ pgid: child.pid, started: processStartTime(child.pid) });
    child.on("error", (error: NodeJS.ErrnoException) => {
      spawnError = error;
    });
    // The leader is done; whatever it started in its group goes with it.
    child.on("exit", (code, signal) => {
      exit = { code, signal };
      endGroup();
    });
    child.on("close", async (code, signal) => {
      request.signal?.removeEventListener("abort", onAbort);
      clearTimeout(timeout);
      // Members that let go of the output (`cmd >/dev/null 2>&1 &`) are still ended before this resolves.
      while (child.pid && killTimer && groupExists(child.pid)) await sleep(GROUP_POLL_MS);
      clearTimeout(killTimer);
      const ended = exit ?? { code, signal };
      const output = request.capture ? { stdout: Buffer.concat(captured.stdout).toString("utf8"), stderr: Buffer.concat(captured.stderr).toString("utf8") } : {};
      resolve({ code: spawnError ? null : ended.code, signal: ended.signal, stoppedBy, spawnError, ...output });
    });
    if (request.signal?.aborted) onAbort();
  });
}

/**
 * Ends a group a dead cloudsync process left running, if it is still that
 * group: Linux never gives a pid that is still some group's id to a new
 * process, so a group that exists is ours unless a new leader with another
 * start time owns the id. Returns whether anything was killed.
 */
export function endLeftoverGroup(group: ProcessGroup): boolean {
  if (!groupExists(group.pgid)) return false;
  const leaderStarted = processStartTime(group.pgid);
  if (leaderStarted !== null && group.started !== null && leaderStarted !== group.started) return false;
  return signalGroup(group.pgid, "SIGKILL");
}

export interface CapturedOutcome extends ProcessOutcome {
  stdout: string;
  stderr: string;
}

/** Runs a short program (btrfs, zfs, rclone's queries) to the end and keeps what it printed, without its last line end. */
export async function runCaptured(request: Omit<ProcessRequest, "onStdout" | "onStderr" | "capture">): Promise<CapturedOutcome> {
  const outcome = await runProcess({ ...request, capture: true });
  const trimmed = (text = "") => text.replace(/\r?\n$/, "");
  return { ...outcome, stdout: trimmed(outcome.stdout), stderr: trimmed(outcome.stderr) };
}
