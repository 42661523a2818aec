import { execFile, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync, unlinkSync, utimesSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { bootId, processStartTime } from "../../src/process/identity.js";
import { FileLock, HEARTBEAT_MS, removeLock, staleReason } from "../../src/state/lock.js";
import { type LockHolder } from "../../src/model/lock.js";
import { tempDir } from "../helpers/cli.js";

const dir = tempDir();
afterAll(() => dir.remove());
let counter = 0;
const lockPath = () => join(dir.path, `lock-${++counter}.lock`);

const deadPid = () =>
  new Promise<number>((resolve) => {
    const child = execFile("true");
    child.on("exit", () => resolve(child.pid!));
  });
const holder = (overrides: Partial<LockHolder>): LockHolder => ({
  pid: process.pid,
  pid_started: processStartTime(process.pid),
  host: hostname(),
  boot_id: bootId(),
  command: "run x",
  since: "2026-01-01T00:00:00.000Z",
  ...overrides,
});
function writeLock(path: string, content: LockHolder, ageMs = 0): void {
  writeFileSync(path, JSON.stringify(content));
  const then = new Date(Date.now() - ageMs);
  utimesSync(path, then, then);
}

describe("when a lock is stale", () => {
  it("this host, same boot: when its process is gone (a reused pid counts as gone)", async () => {
    expect(staleReason(holder({}), 0)).toBeNull();
    expect(staleReason(holder({}), 3_600_000)).toBeNull();
    expect(staleReason(holder({ pid: await deadPid() }), 0)).toBe("its process is no longer running");
    expect(staleReason(holder({ pid_started: "1" }), 0)).toBe("its process is no longer running");
  });

  it("this host after a restart, and any other host, when not refreshed for 60 s", () => {
    expect(staleReason(holder({ boot_id: "an-earlier-boot" }), 0)).toBe("this machine has restarted since");
    expect(staleReason(holder({ host: "old-container" }), 59_000)).toBeNull();
    expect(staleReason(holder({ host: "old-container" }), 61_000)).toBe("it has not been refreshed for 61 s");
    expect(staleReason(null, 61_000)).toBe("it has not been refreshed for 61 s");
  });
});

describe("FileLock", () => {
  it("takes over a stale lock of another host, not a fresh one", async () => {
    const path = lockPath();
    writeLock(path, holder({ host: "old-container", pid: 1 }), 10_000);
    await expect(FileLock.acquire(path, { command: "watch", waitMs: 0 })).rejects.toThrow('the state is locked by process 1 ("cloudsync run x") on old-container');
    writeLock(path, holder({ host: "old-container", pid: 1 }), 120_000);
    const takeovers: string[] = [];
    const lock = await FileLock.acquire(path, { command: "watch", waitMs: 0, onTakeover: (_, reason) => takeovers.push(reason) });
    expect(takeovers).toEqual(["it has not been refreshed for 120 s"]);
    expect(JSON.parse(readFileSync(path, "utf8"))).toMatchObject({ pid: process.pid, host: hostname(), boot_id: bootId(), command: "watch" });
    lock.release();
    expect(existsSync(path)).toBe(false);
  });

  it("refreshes its mtime every 10 s while held, and says when it was taken away", async () => {
    vi.useFakeTimers({ toFake: ["setInterval"] });
    try {
      const path = lockPath();
      let lost = 0;
      const lock = await FileLock.acquire(path, { command: "watch", waitMs: 0, onLost: () => lost++ });
      const old = new Date(Date.now() - 50_000);
      utimesSync(path, old, old);
      vi.advanceTimersByTime(HEARTBEAT_MS);
      expect(Date.now() - statSync(path).mtimeMs).toBeLessThan(5_000);
      unlinkSync(path);
      expect(lost).toBe(0);
      vi.advanceTimersByTime(HEARTBEAT_MS);
      expect(lost).toBe(1);
      lock.release();
    } finally {
      vi.useRealTimers();
    }
  });

  it("unlock removes a stale lock and refuses one whose holder runs on this machine", async () => {
    const path = lockPath();
    writeLock(path, holder({}));
    expect(() => removeLock(path)).toThrow(`the lock is held by process ${process.pid} ("cloudsync run x") on ${hostname()}`);
    writeLock(path, holder({ pid: await deadPid() }));
    expect(removeLock(path)?.stale).toBe("its process is no longer running");
    expect(existsSync(path)).toBe(false);
    expect(removeLock(path)).toBeUndefined();
  });
});

describe("taking over a stale lock is atomic", () => {
  let contender = "";
  beforeAll(async () => {
    contender = join(dir.path, "contender.mjs");
    await build({ entryPoints: [new URL("../helpers/lock-contender.ts", import.meta.url).pathname], bundle: true, platform: "node", format: "esm", outfile: contender, logLevel: "error" });
  });

  it("six processes released at the same moment on a stale lock, 40 times: never two holders at once", async () => {
    const PROCESSES = 6;
    const ROUNDS = 40;
    const ROUND_MS = 200;
    const race = join(dir.path, "race");
    mkdirSync(race);
    const dead = await deadPid();
    for (let round = 0; round < ROUNDS; round++) {
      // Half the rounds a dead process of this machine, half another host's lock not refreshed for two minutes.
      writeLock(join(race, `round-${round}.lock`), round % 2 ? holder({ pid: dead }) : holder({ host: "old-container", pid: 1 }), 120_000);
    }
    const firstStart = Date.now() + 1_500;
    const outcomes = await Promise.all(
      Array.from({ length: PROCESSES }, () => {
        const child = spawn(process.execPath, [contender, race, String(firstStart), String(ROUND_MS), String(ROUNDS)], { stdio: ["ignore", "pipe", "inherit"] });
        let out = "";
        child.stdout.on("data", (d) => (out += d));
        return new Promise<number[]>((resolve) => child.on("exit", () => resolve(JSON.parse(out) as number[])));
      }),
    );
    for (let round = 0; round < ROUNDS; round++) {
      const seen = outcomes.map((rounds) => rounds[round]!);
      expect(Math.max(...seen), `round ${round}: holders seen at once`).toBe(1);
    }
  }, 60_000);
});
