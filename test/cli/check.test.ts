// cloudsync check with real rclone: local, SFTP and an encrypted remote.
import { spawn } from "node:child_process";
import { appendFileSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { CLI, isRunning, testEnv } from "../helpers/cli.js";
import { PASSWORD, withSftpServer } from "../helpers/servers.js";
import { writeTree } from "../helpers/tree.js";
import { awaitValue, until } from "../helpers/wait.js";
import { Workspace } from "../helpers/workspace.js";

const server = withSftpServer();
let counter = 0;
const fresh = (name: string) => join(server.base, `${name}-${++counter}`);
const files = () => ({ "a.txt": "alpha alpha", "sub/b.txt": "beta", "c.bin": Buffer.alloc(50_000, 3) });

/** Flips one byte of a file, keeping its size and modification time: only a content comparison sees it. */
function flipByte(path: string): void {
  const bytes = readFileSync(path);
  bytes[0] = bytes[0]! ^ 0xff;
  writeFileSync(path, bytes);
}

async function checked(ws: Workspace, task: string, ...extra: string[]) {
  const result = await ws.cli(["check", task, "--json", ...extra]);
  return { code: result.code, record: JSON.parse(result.stdout || "null"), stderr: result.stderr };
}

describe("cloudsync check", () => {
  it("local: intact is SUCCESS; remote-only files are no error for a copy; a changed and a missing file are found; a flipped byte with --download", async () => {
    const source = fresh("source");
    const target = fresh("target");
    writeTree(source, files());
    const ws = new Workspace(fresh("ws"));
    await ws.apply({ credentials: { disk: { type: "local" } }, tasks: { t: { direction: "push", transfer_mode: "copy", path: source, credential: "disk", folder: target } } });
    expect((await ws.run("t")).result.state).toBe("SUCCESS");

    const intact = await checked(ws, "t");
    expect(intact.code).toBe(0);
    expect(intact.record).toMatchObject({ kind: "check", state: "SUCCESS", matched: 3, differ: 0, missing_on_remote: 0, missing_on_local: 0, errors: 0 });
    // Each finding once, beside the rest of the record (not again under "check").
    expect(intact.record).not.toHaveProperty("check");

    // logs --json: the record and its log in one object.
    const logs = await ws.cli(["logs", "t", "--json"]);
    expect(JSON.parse(logs.stdout)).toEqual({ task: "t", run: expect.objectContaining({ id: intact.record.id, kind: "check", state: "SUCCESS" }), log: expect.stringContaining("rclone check") });

    // Files only on the remote are no error for a copy.
    writeTree(target, { "extra.txt": "only on the remote" });
    expect(await checked(ws, "t")).toMatchObject({ code: 0, record: { state: "SUCCESS", missing_on_local: 1 } });

    appendFileSync(join(target, "a.txt"), "!");
    rmSync(join(target, "sub", "b.txt"));
    const broken = await checked(ws, "t");
    expect(broken.code).toBe(1);
    expect(broken.record).toMatchObject({ state: "FAILED", matched: 1, differ: 1, missing_on_remote: 1, error: expect.stringContaining("the remote does not hold what") });
    const log = (await ws.cli(["logs", "t", "--run", broken.record.id])).stdout;
    expect(log).toMatch(/^\S+Z \* a\.txt$/m);
    expect(log).toMatch(/^\S+Z \+ sub\/b\.txt$/m);
    expect(log).toMatch(/^\S+Z - extra\.txt$/m);

    // A byte flipped in place, same size: --download compares content itself.
    expect((await ws.run("t")).result.state).toBe("SUCCESS");
    flipByte(join(target, "c.bin"));
    expect(await checked(ws, "t", "--download")).toMatchObject({ code: 1, record: { differ: 1, matched: 2 } });

    // history and status know the check.
    const history = JSON.parse((await ws.cli(["history", "t", "--json"])).stdout);
    expect(history.runs.map((r: { kind: string }) => r.kind)).toContain("check");
    const status = JSON.parse((await ws.cli(["status", "--json"])).stdout);
    expect(status.tasks[0]).toMatchObject({ state: "SUCCESS", last_check: { kind: "check", state: "FAILED", differ: 1 }, next_check: null });

    // A scheduled check: status says when it comes, in JSON and in the table.
    await ws.apply({ settings: { timezone: "UTC" }, credentials: { disk: { type: "local" } }, tasks: { t: { direction: "push", transfer_mode: "copy", path: source, credential: "disk", folder: target, check: { schedule: "0 3 * * *" } } } });
    const scheduled = JSON.parse((await ws.cli(["status", "--json"])).stdout).tasks[0];
    expect(scheduled.next_check).toMatch(/T03:00:00\.000Z$/);
    const table = (await ws.cli(["status"])).stdout;
    expect(table).toMatch(/NEXT CHECK/);
    expect(table).toContain(`${scheduled.next_check.slice(0, 10)} 03:00`);
  }, 60_000);

  it("a sync's remote-only files are errors; a pull is checked with the local side as its destination", async () => {
    const source = fresh("source");
    const target = fresh("target");
    writeTree(source, files());
    const ws = new Workspace(fresh("ws"));
    await ws.apply({
      credentials: { disk: { type: "local" } },
      tasks: {
        mirror: { direction: "push", transfer_mode: "sync", path: source, credential: "disk", folder: target },
        back: { direction: "pull", transfer_mode: "copy", path: fresh("restored"), credential: "disk", folder: target },
      },
    });
    expect((await ws.run("mirror")).result.state).toBe("SUCCESS");
    writeTree(target, { "stray.txt": "x" });
    expect(await checked(ws, "mirror")).toMatchObject({ code: 1, record: { missing_on_local: 1 } });
    // Nothing pulled yet: everything is missing locally.
    expect(await checked(ws, "back")).toMatchObject({ code: 1, record: { missing_on_local: 4, missing_on_remote: 0 } });
    expect((await ws.run("back")).result.state).toBe("SUCCESS");
    expect(await checked(ws, "back")).toMatchObject({ code: 0, record: { matched: 4 } });
  }, 60_000);

  it("SFTP, encrypted: cryptcheck finds a flipped byte in the stored file without downloading; a wrong password fails", async () => {
    const source = fresh("source");
    writeTree(source, files());
    const env = { SFTP_PASS: PASSWORD, CRYPT_PASS: "check-crypt-password" };
    const ws = new Workspace(fresh("ws"), env);
    const folder = `vault-${counter}`;
    await ws.apply({
      credentials: { nas: { ...server.sftp.credential, pass: "${SFTP_PASS}" } },
      tasks: { enc: { direction: "push", transfer_mode: "copy", path: source, credential: "nas", folder, encryption: { password: "${CRYPT_PASS}", filename_encryption: true } } },
    });
    expect((await ws.run("enc")).result.state).toBe("SUCCESS");
    expect(await checked(ws, "enc")).toMatchObject({ code: 0, record: { state: "SUCCESS", matched: 3 } });
    expect(await checked(ws, "enc", "--download")).toMatchObject({ code: 0, record: { matched: 3 } });
    const vault = join(server.sftp.root!, folder);
    const stored = readdirSync(vault).map((n) => join(vault, n)).find((p) => readFileSync(p).length > 40_000)!;
    const bytes = readFileSync(stored);
    bytes[bytes.length - 100] = bytes[bytes.length - 100]! ^ 0xff;
    writeFileSync(stored, bytes);
    expect(await checked(ws, "enc")).toMatchObject({ code: 1, record: { state: "FAILED", differ: 1 } });
    const wrong = new Workspace(fresh("ws-wrong"), { ...env, CRYPT_PASS: "not the password" });
    await wrong.apply({
      credentials: { nas: { ...server.sftp.credential, pass: "${SFTP_PASS}" } },
      tasks: { enc: { direction: "push", transfer_mode: "copy", path: source, credential: "nas", folder, encryption: { password: "${CRYPT_PASS}", filename_encryption: true } } },
    });
    const refused = await checked(wrong, "enc");
    expect(refused.code).toBe(1);
    expect(refused.record.state).toBe("FAILED");
  }, 60_000);

  it("runs on its schedule under watch; abort stops a long check and leaves no rclone", async () => {
    const source = fresh("source");
    writeTree(source, { "a.txt": "a" });
    const target = fresh("target");
    const dir = fresh("ws");
    const ws = new Workspace(dir);
    await ws.apply({ credentials: { disk: { type: "local" } }, tasks: { t: { direction: "push", transfer_mode: "copy", path: source, credential: "disk", folder: target, check: { schedule: "*/2 * * * * *" } } } });
    expect((await ws.run("t")).result.state).toBe("SUCCESS");
    const child = spawn(process.execPath, [CLI, "watch"], { cwd: dir, env: testEnv(), stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    child.stdout.on("data", (d) => (log += d));
    const exited = new Promise((resolve) => child.on("exit", resolve));
    try {
      await until(() => /scheduled the check of t: \*\/2 \* \* \* \* \*/.test(log), "the check is scheduled");
      await until(() => /Check \S+ of t: SUCCESS — 1 matched/.test(log), "a scheduled check runs");
      const records = (await ws.cli(["history", "t", "--json"])).stdout;
      expect(JSON.parse(records).runs.find((r: { kind: string }) => r.kind === "check")).toMatchObject({ trigger: "schedule", state: "SUCCESS" });
    } finally {
      child.kill("SIGTERM");
      await exited;
    }

    // A long check (byte for byte, over a slow rclone) is stopped by abort.
    writeTree(source, { "big.bin": Buffer.alloc(1_000_000, 9) });
    expect((await ws.run("t")).result.state).toBe("SUCCESS");
    const slow = fresh("slow-rclone");
    writeFileSync(slow, `#!/bin/sh\nexec rclone --bwlimit 50k "$@"\n`, { mode: 0o755 });
    writeFileSync(join(dir, "cloudsync.yaml"), stringify({ version: 1, settings: { rclone: slow }, credentials: { disk: { type: "local" } }, tasks: { t: { direction: "push", transfer_mode: "copy", path: source, credential: "disk", folder: target } } }));
    expect((await ws.cli(["apply", "--auto-approve"])).code).toBe(0);
    const check = spawn(process.execPath, [CLI, "check", "t", "--download", "--json"], { cwd: dir, env: testEnv(), stdio: ["ignore", "pipe", "ignore"] });
    let out = "";
    check.stdout.on("data", (d) => (out += d));
    const done = new Promise((resolve) => check.on("exit", resolve));
    const running = await awaitValue(() => {
      try {
        const tdir = join(dir, ".cloudsync", "runs", "t");
        return readdirSync(tdir).map((n) => (n.endsWith(".json") ? JSON.parse(readFileSync(join(tdir, n), "utf8")) : null)).find((r) => r?.kind === "check" && r.state === "RUNNING" && r.process_group);
      } catch {
        return undefined;
      }
    }, "the check runs rclone");
    const abort = await ws.cli(["abort", "t"]);
    expect(abort.code).toBe(0);
    await done;
    expect(JSON.parse(out)).toMatchObject({ kind: "check", state: "ABORTED" });
    expect(isRunning(running.process_group.pgid)).toBe(false);
  }, 90_000);
});
