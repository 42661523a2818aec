import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI, isRunning, testEnv } from "../helpers/cli.js";
import { PASSWORD, withSftpServer } from "../helpers/servers.js";
import { digests, readTree, sampleTree, writeTree } from "../helpers/tree.js";
import { awaitValue, until } from "../helpers/wait.js";
import { Workspace } from "../helpers/workspace.js";

const server = withSftpServer();
let counter = 0;
const fresh = (name: string) => join(server.base, `${name}-${++counter}`);
const disk = { disk: { type: "local" } };
const pushTask = (source: string, target: string, extra: Record<string, unknown> = {}) => ({
  direction: "push",
  transfer_mode: "copy",
  path: source,
  credential: "disk",
  folder: target,
  ...extra,
});
const runRecords = (ws: Workspace, task: string) =>
  readdirSync(join(ws.stateDir, "runs", task))
    .filter((n) => n.endsWith(".json"))
    .map((n) => JSON.parse(readFileSync(join(ws.stateDir, "runs", task, n), "utf8")));


describe("encryption", () => {
  it("round-trips through rclone crypt: the remote holds no plaintext, the same password reads it back, a wrong one fails", async () => {
    const source = fresh("plain");
    const files = sampleTree();
    writeTree(source, files);
    const env = { SFTP_PASS: PASSWORD, CRYPT_PASS: "correct horse battery staple", CRYPT_SALT: "pepper-and-salt" };
    const ws = new Workspace(fresh("ws"), env);
    const credential = { ...server.sftp.credential, pass: "${SFTP_PASS}" };
    const encryption = { password: "${CRYPT_PASS}", salt: "${CRYPT_SALT}", filename_encryption: true };
    await ws.apply({
      credentials: { nas: credential },
      tasks: {
        up: { direction: "push", transfer_mode: "sync", path: source, credential: "nas", folder: "vault", encryption },
        down: { direction: "pull", transfer_mode: "copy", path: fresh("restored"), credential: "nas", folder: "vault", encryption },
      },
    });
    expect((await ws.run("up")).result).toMatchObject({ state: "SUCCESS", files: 5 });

    const stored = readTree(join(server.sftp.root!, "vault"));
    expect(Object.keys(stored)).toHaveLength(5);
    for (const name of Object.keys(stored)) expect(Object.keys(files)).not.toContain(name);
    const storedValues = new Set(Object.values(stored));
    for (const digest of Object.values(digests(files))) expect(storedValues.has(digest)).toBe(false);

    const down = await ws.run("down");
    expect(down.result).toMatchObject({ state: "SUCCESS", files: 5 });
    const restoredPath = (JSON.parse(readFileSync(join(ws.stateDir, "state.json"), "utf8")) as { tasks: { down: { path: string } } }).tasks.down.path;
    expect(readTree(restoredPath)).toEqual(digests(files));

    const wrong = new Workspace(fresh("ws-wrong"), { ...env, CRYPT_PASS: "wrong password" });
    await wrong.apply({
      credentials: { nas: credential },
      tasks: { down: { direction: "pull", transfer_mode: "copy", path: fresh("bad"), credential: "nas", folder: "vault", encryption } },
    });
    const failed = await wrong.run("down");
    expect(failed.code).toBe(1);
    expect(failed.result.state).toBe("FAILED");
    expect(failed.result.error).toMatch(/could not be decrypted: is the encryption password \(and salt\) right\?/);
    expect(failed.result.attempts).toBe(1);
  });
});

describe("encryption without name encryption", () => {
  it("a wrong password fails at once, not retried as a network error", async () => {
    const source = fresh("plain-names");
    writeTree(source, { "a.txt": "some text", "b.bin": Buffer.alloc(70_000, 3) });
    const vault = fresh("vault");
    const good = new Workspace(fresh("ws"), { CRYPT_PASS: "right" });
    const encryption = { password: "${CRYPT_PASS}", filename_encryption: false };
    await good.apply({ credentials: disk, tasks: { up: pushTask(source, vault, { encryption }) } });
    expect((await good.run("up")).result.state).toBe("SUCCESS");
    expect(Object.keys(readTree(vault)).sort()).toEqual(["a.txt.bin", "b.bin.bin"]);

    const wrong = new Workspace(fresh("ws"), { CRYPT_PASS: "wrong" });
    await wrong.apply({ credentials: disk, tasks: { down: { direction: "pull", transfer_mode: "copy", path: fresh("out"), credential: "disk", folder: vault, encryption, retry_delay: "30s" } } });
    const run = await wrong.run("down");
    expect(run.result).toMatchObject({ state: "FAILED", attempts: 1, error: expect.stringContaining("could not be decrypted: is the encryption password (and salt) right?") });
  });
});

describe("what gets transferred", () => {
  it("excludes first, then includes with a catch-all", async () => {
    const source = fresh("filters");
    writeTree(source, { "a.jpg": "a", "b.tmp": "b", "cache/c.jpg": "c", "sub/d.jpg": "d", "sub/e.txt": "e" });
    const target = fresh("filtered");
    const ws = new Workspace(fresh("ws"));
    await ws.apply({ credentials: disk, tasks: { t: pushTask(source, target, { exclude: ["*.tmp", "/cache/"], include: ["*.jpg"] }) } });
    expect((await ws.run("t")).result.state).toBe("SUCCESS");
    expect(Object.keys(readTree(target)).sort()).toEqual(["a.jpg", "sub/d.jpg"]);
  });

  it("creates empty directories only when asked, and follows symlinks only when asked", async () => {
    const source = fresh("shape");
    writeTree(source, { "f.txt": "f" });
    mkdirSync(join(source, "empty"));
    const outside = fresh("outside");
    writeTree(outside, { "linked.txt": "behind a link" });
    symlinkSync(join(outside, "linked.txt"), join(source, "link.txt"));
    const plain = fresh("plain-target");
    const rich = fresh("rich-target");
    const ws = new Workspace(fresh("ws"));
    await ws.apply({
      credentials: disk,
      tasks: { plain: pushTask(source, plain), rich: pushTask(source, rich, { create_empty_src_dirs: true, follow_symlinks: true }) },
    });
    await ws.run("plain");
    await ws.run("rich");
    expect(existsSync(join(plain, "empty"))).toBe(false);
    expect(existsSync(join(plain, "link.txt"))).toBe(false);
    expect(existsSync(join(rich, "empty"))).toBe(true);
    expect(readFileSync(join(rich, "link.txt"), "utf8")).toBe("behind a link");
  });

  it("a dry run changes nothing and reports what would be transferred and deleted", async () => {
    const source = fresh("dry");
    writeTree(source, { "new1.txt": "1", "new2.txt": "2" });
    const target = fresh("dry-target");
    writeTree(target, { "stale.txt": "s" });
    const ws = new Workspace(fresh("ws"));
    await ws.apply({ credentials: disk, tasks: { t: pushTask(source, target, { transfer_mode: "sync" }) } });
    const before = { source: readTree(source), target: readTree(target) };
    const dry = await ws.run("t", "--dry-run");
    expect(dry.result).toMatchObject({ state: "SUCCESS", dry_run: true, files: 2, deletes: 1 });
    expect({ source: readTree(source), target: readTree(target) }).toEqual(before);
    expect(await ws.log("t")).toContain("Skipped delete as --dry-run is set");
  });

  it("bwlimit and transfers reach rclone", async () => {
    const source = fresh("bw");
    writeTree(source, { "a.txt": "a" });
    const ws = new Workspace(fresh("ws"));
    await ws.apply({ credentials: disk, tasks: { t: pushTask(source, fresh("bw-target"), { transfers: "high", bwlimit: [{ time: "00:00", bandwidth: "10M" }, { time: "23:59", bandwidth: "off" }] }) } });
    await ws.run("t");
    const log = await ws.log("t");
    expect(log).toContain("--transfers 16");
    expect(log).toContain("--bwlimit 00:00,10M 23:59,off");
  });

  it("rclone reads the bandwidth timetable in settings.timezone (its TZ), whatever the machine's zone", async () => {
    const source = fresh("bw-zone");
    writeTree(source, { "a.txt": "a" });
    // The rclone the file runs tells which zone it was given, then does the work.
    const seen = join(fresh("zone"), "tz");
    mkdirSync(join(seen, ".."), { recursive: true });
    const rclone = join(seen, "..", "rclone");
    writeFileSync(rclone, `#!/bin/sh\necho "\${TZ-unset}" >> ${seen}\nexec rclone "$@"\n`);
    chmodSync(rclone, 0o755);
    const ws = new Workspace(fresh("ws"), { TZ: "UTC" });
    await ws.apply({ settings: { timezone: "Asia/Kolkata", rclone }, credentials: disk, tasks: { t: pushTask(source, fresh("bw-zone-target"), { bwlimit: "08:00,512k 18:00,off" }) } });
    expect((await ws.run("t")).result.state).toBe("SUCCESS");
    expect(readFileSync(seen, "utf8").trim().split("\n")).toContain("Asia/Kolkata");
  });
});

describe("scripts", () => {
  it("a failing pre-script fails the run before anything is transferred; the post-script runs only after success", async () => {
    const source = fresh("scripts");
    writeTree(source, { "a.txt": "a" });
    const target = fresh("scripts-target");
    const marker = fresh("post-ran");
    const ws = new Workspace(fresh("ws"));
    await ws.apply({
      credentials: disk,
      tasks: {
        failing: pushTask(source, target, { pre_script: "echo about to fail\nexit 3\n", post_script: `touch ${marker}\n` }),
        fine: pushTask(source, target, { pre_script: "echo pre for $CLOUDSYNC_TASK $CLOUDSYNC_DIRECTION $CLOUDSYNC_TRANSFER_MODE\n", post_script: `touch ${marker}\n` }),
      },
    });
    const failing = await ws.run("failing");
    expect(failing.code).toBe(1);
    expect(failing.result).toMatchObject({ state: "FAILED", error: "pre-script failed with exit code 3; nothing was transferred" });
    expect(existsSync(target)).toBe(false);
    expect(existsSync(marker)).toBe(false);
    expect(await ws.log("failing")).toContain("[pre-script] about to fail");

    expect((await ws.run("fine")).result.state).toBe("SUCCESS");
    expect(existsSync(marker)).toBe(true);
    expect(await ws.log("fine")).toContain("[pre-script] pre for fine push copy");
  });

  it("respects #!, gets the CLOUDSYNC_ variables, and no secret", async () => {
    const source = fresh("env");
    writeTree(source, { "a.txt": "a" });
    const dump = fresh("env-dump");
    const env = { SFTP_PASS: PASSWORD, CRYPT_PASS: "crypt-secret-value" };
    const ws = new Workspace(fresh("ws"), env);
    await ws.apply({
      credentials: { nas: { ...server.sftp.credential, pass: "${SFTP_PASS}" } },
      tasks: {
        t: {
          direction: "push",
          transfer_mode: "copy",
          path: source,
          credential: "nas",
          folder: "env-test",
          encryption: { password: "${CRYPT_PASS}" },
          pre_script: `#!/usr/bin/env python3\nimport os, json\njson.dump(dict(os.environ), open(${JSON.stringify(dump)}, "w"))\nprint("python says hi")\n`,
        },
      },
    });
    const run = await ws.run("t");
    expect(run.result.state).toBe("SUCCESS");
    const seen = JSON.parse(readFileSync(dump, "utf8")) as Record<string, string>;
    expect(seen).toMatchObject({ CLOUDSYNC_TASK: "t", CLOUDSYNC_DIRECTION: "push", CLOUDSYNC_TRANSFER_MODE: "copy", CLOUDSYNC_PATH: source, CLOUDSYNC_DRY_RUN: "false" });
    const everything = JSON.stringify(seen);
    expect(everything).not.toContain(PASSWORD);
    expect(everything).not.toContain("crypt-secret-value");
    expect(Object.keys(seen).some((k) => k.startsWith("RCLONE_CONFIG_"))).toBe(false);
    const log = await ws.log("t");
    expect(log).toContain("[pre-script] python says hi");
    // The run's outputs (the applied state holds secrets by design: see the README's Security section).
    for (const output of [log, run.stderr, JSON.stringify(run.result), JSON.stringify(runRecords(ws, "t"))]) {
      expect(output).not.toContain(PASSWORD);
      expect(output).not.toContain("crypt-secret-value");
    }
  });

  it("redacts secrets even when a script prints them", async () => {
    const source = fresh("leak");
    writeTree(source, { "a.txt": "a" });
    const ws = new Workspace(fresh("ws"), { CRYPT_PASS: "printed-secret-value" });
    await ws.apply({
      credentials: disk,
      tasks: { t: pushTask(source, fresh("leak-target"), { encryption: { password: "${CRYPT_PASS}" }, pre_script: "echo the password is printed-secret-value\n" }) },
    });
    await ws.run("t");
    const log = await ws.log("t");
    expect(log).toContain("[pre-script] the password is [REDACTED]");
    expect(log).not.toContain("printed-secret-value");
  });
});

describe("stopping runs", () => {
  /** A task slow enough to catch in the middle: 4 MB at 256 KiB/s. */
  async function slowWorkspace() {
    const source = fresh("slow");
    writeTree(source, Object.fromEntries(Array.from({ length: 4 }, (_, i) => [`f${i}.bin`, Buffer.alloc(1_000_000, i)])));
    const ws = new Workspace(fresh("ws"));
    await ws.apply({ credentials: disk, tasks: { slow: pushTask(source, fresh("slow-target"), { bwlimit: "256k", transfers: 1 }) } });
    return ws;
  }

  function startRun(ws: Workspace) {
    const child = spawn(process.execPath, [CLI, "run", "slow", "--json"], { cwd: ws.dir, env: testEnv(), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    child.stdout.on("data", (d) => (stdout += d));
    const exited = new Promise<{ code: number | null; stdout: string }>((resolve) => child.on("exit", (code) => resolve({ code, stdout })));
    return { child, exited };
  }

  /** The process group of what the running run runs now (rclone, or a script). */
  async function rclonePidOf(ws: Workspace): Promise<number> {
    const running = await awaitValue(() => (existsSync(join(ws.stateDir, "runs", "slow")) ? runRecords(ws, "slow").find((r) => r.process_group) : undefined), "the run starts rclone or its script");
    return running.process_group.pgid as number;
  }

  it("abort TASK from another process ends the run ABORTED with no rclone left", async () => {
    const ws = await slowWorkspace();
    const run = startRun(ws);
    const rclonePid = await rclonePidOf(ws);
    expect(isRunning(rclonePid)).toBe(true);

    const second = await ws.run("slow");
    expect(second.code).toBe(1);
    // With --json a refusal is one object on stdout.
    expect(second.result).toMatchObject({ error: { message: expect.stringContaining('task "slow" is already running') }, diagnostics: null });

    const abort = await ws.cli(["abort", "slow"]);
    expect(abort.code).toBe(0);
    expect(abort.stdout).toContain("ended ABORTED");
    const { code, stdout } = await run.exited;
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ state: "ABORTED" });
    expect(isRunning(rclonePid)).toBe(false);
    const status = JSON.parse((await ws.cli(["status", "--json"])).stdout);
    expect(status.tasks[0]).toMatchObject({ name: "slow", state: "ABORTED", last_run: { state: "ABORTED" } });
  });

  it("rclone killed from outside (kill -9, the system out of memory) fails the run saying so", async () => {
    const ws = await slowWorkspace();
    const run = startRun(ws);
    process.kill(-(await rclonePidOf(ws)), "SIGKILL");
    const { code, stdout } = await run.exited;
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ state: "FAILED", error: expect.stringMatching(/^rclone was killed \(SIGKILL\): by another process, or by the system when memory ran out/) });
  });

  it("Ctrl-C on run stops rclone and exits 130", async () => {
    const ws = await slowWorkspace();
    const run = startRun(ws);
    const rclonePid = await rclonePidOf(ws);
    run.child.kill("SIGINT");
    const { code, stdout } = await run.exited;
    expect(code).toBe(130);
    expect(JSON.parse(stdout)).toMatchObject({ state: "ABORTED" });
    expect(isRunning(rclonePid)).toBe(false);
  });

  it("a run whose process was killed is shown ABORTED by status, which changes nothing; the next start ends what it left", async () => {
    // A script that only sleeps outlives its run's process (rclone would die of the closed pipe at its next log line).
    const source = fresh("killed");
    writeTree(source, { "a.txt": "a" });
    const ws = new Workspace(fresh("ws"));
    await ws.apply({ credentials: disk, tasks: { slow: pushTask(source, fresh("killed-target"), { pre_script: "sleep 300" }) } });
    const run = startRun(ws);
    const scriptGroup = await rclonePidOf(ws);
    run.child.kill("SIGKILL");
    await run.exited;
    const status = JSON.parse((await ws.cli(["status", "--json"])).stdout);
    expect(status.tasks[0]).toMatchObject({ state: "ABORTED", last_run: { state: "ABORTED", error: "the cloudsync process running it stopped unexpectedly" } });
    // status only reads: the record still says RUNNING, and what the dead run started is left to the next start.
    expect(runRecords(ws, "slow")[0].state).toBe("RUNNING");
    expect(isRunning(scriptGroup)).toBe(true);
    await ws.apply({ credentials: disk, tasks: { slow: pushTask(source, fresh("killed-target")) } });
    const next = await ws.cli(["run", "slow"]);
    expect(next.code, next.stderr).toBe(0);
    expect(isRunning(scriptGroup)).toBe(false);
    const records = runRecords(ws, "slow").sort((a, b) => a.seq - b.seq);
    expect(records.map((r) => r.state)).toEqual(["ABORTED", "SUCCESS"]);
  });

  it("a timeout stops the run, which ends FAILED", async () => {
    const source = fresh("timeout");
    writeTree(source, { "big.bin": Buffer.alloc(2_000_000, 1) });
    const ws = new Workspace(fresh("ws"));
    await ws.apply({ credentials: disk, tasks: { t: pushTask(source, fresh("timeout-target"), { bwlimit: "100k", timeout: "1s" }) } });
    const run = await ws.run("t");
    expect(run.result).toMatchObject({ state: "FAILED", error: "stopped after the timeout of 1s" });
  });

  it("a timeout longer than a timer holds (~24.8 days) is waited for, not taken as already over", async () => {
    const source = fresh("long-timeout");
    writeTree(source, { "a.txt": "a" });
    const ws = new Workspace(fresh("ws"));
    await ws.apply({ credentials: disk, tasks: { t: pushTask(source, fresh("long-timeout-target"), { timeout: "30d" }) } });
    const run = await ws.run("t");
    expect(run.result, run.stderr).toMatchObject({ state: "SUCCESS", files: 1, error: null });
  });
});

describe("failures", () => {
  it("retries a temporary failure (exit 5) with backoff, but not others", async () => {
    const source = fresh("retry");
    writeTree(source, { "a.txt": "a" });
    const counter = fresh("attempts");
    // rclone's exit 5 cannot be provoked on demand here; a wrapper fails twice, then hands over to the real rclone.
    const wrapper = fresh("flaky-rclone");
    // (Only transfers fail: asking its version and backends is not a transfer.)
    writeFileSync(wrapper, `#!/bin/sh\ncase "$1" in version|config) exec rclone "$@" ;; esac\nn=$(cat ${counter} 2>/dev/null || echo 0); n=$((n+1)); echo $n > ${counter}\n[ "$n" -le 2 ] && { echo "pretend network error" >&2; exit $FLAKY_CODE; }\nexec rclone "$@"\n`);
    chmodSync(wrapper, 0o755);
    const ws = new Workspace(fresh("ws"), { FLAKY_CODE: "5" });
    await ws.apply({ settings: { rclone: wrapper }, credentials: disk, tasks: { t: pushTask(source, fresh("retry-target"), { retries: 2, retry_delay: "100ms" }) } });
    const retried = await ws.run("t");
    expect(retried.result).toMatchObject({ state: "SUCCESS", attempts: 3 });
    expect(await ws.log("t")).toContain("attempt 1 failed (a temporary error (network, rate limit); retrying may help); retrying in 0s");

    writeFileSync(counter, "0");
    const hard = await ws.run("t", "--quiet");
    expect(hard.result.state).toBe("SUCCESS"); // counter reset: fails twice again, retried
    writeFileSync(counter, "0");
    const fatal = await ws.cli(["run", "t", "--json"], { FLAKY_CODE: "7" });
    expect(JSON.parse(fatal.stdout)).toMatchObject({ state: "FAILED", attempts: 1, error: expect.stringContaining("a fatal error") });
  });

  it("an unwritable TMPDIR for --ephemeral, and a hand-edited schedule status cannot read, are said in a line, not as internal errors", async () => {
    const source = fresh("odd");
    writeTree(source, { "a.txt": "a" });
    const ws = new Workspace(fresh("ws"));
    await ws.apply({ credentials: disk, tasks: { t: pushTask(source, fresh("odd-target"), { schedule: "daily" }) } });
    const ephemeral = await ws.cli(["run", "t", "--ephemeral"], { TMPDIR: "/nonexistent/tmp" });
    expect(ephemeral.code).toBe(1);
    expect(ephemeral.stderr).toContain("cannot make a temporary state directory in /nonexistent/tmp");
    expect(ephemeral.stderr).not.toContain("internal error");
    const statePath = join(ws.stateDir, "state.json");
    const state = JSON.parse(readFileSync(statePath, "utf8"));
    state.tasks.t.schedule = "every day at noon";
    writeFileSync(statePath, JSON.stringify(state));
    const status = await ws.cli(["status", "--json"]);
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout).tasks[0]).toMatchObject({ name: "t", next_run: null });
    expect((await ws.cli(["status"])).stderr).not.toContain("internal error");
  });

  it("rclone missing is a one-line reason", async () => {
    const source = fresh("norclone");
    writeTree(source, { "a.txt": "a" });
    const ws = new Workspace(fresh("ws"));
    await ws.apply({ settings: { rclone: "/nonexistent/rclone" }, credentials: disk, tasks: { t: pushTask(source, fresh("x")) } });
    const run = await ws.run("t");
    expect(run.code).toBe(1);
    expect(run.result.error).toContain("rclone was not found (/nonexistent/rclone)");
  });

  it("a task that is not applied, and logs of a task that never ran, are one-line errors", async () => {
    const ws = new Workspace(fresh("ws"));
    await ws.apply({ credentials: disk, tasks: { t: pushTask(fresh("s"), fresh("d")) } });
    const missing = await ws.cli(["run", "nope"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('cloudsync: error: task "nope" is not applied');
    const logs = await ws.cli(["logs", "t"]);
    expect(logs.stderr).toContain('task "t" has not run yet');
  });

  it("snapshot on a filesystem without snapshots fails the run, saying why", async () => {
    const source = fresh("nosnap");
    writeTree(source, { "a.txt": "a" });
    const ws = new Workspace(fresh("ws"));
    await ws.apply({ credentials: disk, tasks: { t: pushTask(source, fresh("nosnap-target"), { snapshot: true }) } });
    const run = await ws.run("t");
    expect(run.result.state).toBe("FAILED");
    expect(run.result.error).toMatch(/is not on btrfs or ZFS/);
  });
});

describe("progress", () => {
  it.runIf(existsSync("/usr/bin/script"))("a terminal gets a bar redrawn in place", async () => {
    const source = fresh("bar");
    writeTree(source, Object.fromEntries(Array.from({ length: 4 }, (_, i) => [`f${i}.bin`, Buffer.alloc(400_000, i)])));
    const ws = new Workspace(fresh("ws"));
    await ws.apply({ credentials: disk, tasks: { t: pushTask(source, fresh("bar-target"), { bwlimit: "700k", transfers: 1 }) } });
    const { execa } = await import("execa");
    // A terminal wide enough for every field (the bar drops fields to fit a narrower one).
    const result = await execa("script", ["-qec", `stty cols 120 rows 40; node ${CLI} run t`, "/dev/null"], { cwd: ws.dir, env: testEnv({ NO_COLOR: "1" }), reject: false });
    expect(result.stdout).toMatch(/\r\u001b\[2K\[#*-*\]\s+\d+%\s+[\d.]+ \w*B \/ 1\.53 MiB\s+[\d.]+ \w*B\/s\s+ETA \S+\s+files \d\/4/);
    expect(result.stdout).toContain("SUCCESS — 4 files, 1.53 MiB, 0 deleted");
  });
});

describe("rclone's own complaints", () => {
  it("an unknown flag in rclone_args is named as such", async () => {
    const source = fresh("flags");
    writeTree(source, { "a.txt": "a" });
    const ws = new Workspace(fresh("ws"));
    await ws.apply({ credentials: disk, tasks: { t: pushTask(source, fresh("flags-target"), { rclone_args: ["--no-such-flag"] }) } });
    const run = await ws.run("t");
    expect(run.result.state).toBe("FAILED");
    expect(run.result.error).toMatch(/^rclone does not know --no-such-flag, given in rclone_args/);
  });

  it("logs --follow prints a running run's log until it ends", async () => {
    const source = fresh("follow");
    writeTree(source, Object.fromEntries(Array.from({ length: 3 }, (_, i) => [`f${i}.bin`, Buffer.alloc(300_000, i)])));
    const ws = new Workspace(fresh("ws"));
    await ws.apply({ credentials: disk, tasks: { t: pushTask(source, fresh("follow-target"), { bwlimit: "500k", transfers: 1 }) } });
    const run = ws.run("t");
    await until(() => existsSync(join(ws.stateDir, "runs", "t")) && runRecords(ws, "t").some((r) => r.state === "RUNNING"), "the run has started");
    const followed = await ws.cli(["logs", "t", "--follow"]);
    await run;
    expect(followed.stdout).toMatch(/--- rclone copy /);
    expect(followed.stdout).toMatch(/--- run \S+ SUCCESS \(\d+ files, \d+ bytes, 0 deleted, \d+ ms\)\n$/);
  });
});

describe("what run, logs and abort read", () => {
  it("run says when the file differs from what is applied, and runs the applied version", async () => {
    const ws = new Workspace(fresh("differs"));
    const source = fresh("differs-src");
    writeTree(source, { "a.txt": "a" });
    const target = fresh("differs-dst");
    await ws.apply({ credentials: disk, tasks: { t: pushTask(source, target) } });
    const same = await ws.run("t");
    expect(same.code).toBe(0);
    expect(same.stderr).not.toMatch(/differs/);
    const file = join(ws.dir, "cloudsync.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace(target, `${target}-elsewhere`));
    const edited = await ws.run("t");
    expect(edited.code).toBe(0);
    expect(edited.stderr).toMatch(/note: cloudsync\.yaml differs from what is applied \(task\.t\); this runs the applied version/);
    expect(existsSync(`${target}-elsewhere`)).toBe(false);
    // Also when the state directory is given on the command line.
    const explicit = await ws.cli(["--state-dir", ws.stateDir, "run", "t"]);
    expect(explicit.stderr).toMatch(/note: cloudsync\.yaml differs from what is applied \(task\.t\)/);
  });

  it("logs and abort find settings.state_dir even while the file has errors elsewhere", async () => {
    const ws = new Workspace(fresh("custom-state"));
    const source = fresh("custom-src");
    writeTree(source, { "a.txt": "a" });
    await ws.apply({ settings: { state_dir: "elsewhere" }, credentials: disk, tasks: { t: pushTask(source, fresh("custom-dst")) } });
    expect((await ws.run("t")).code).toBe(0);
    const file = join(ws.dir, "cloudsync.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace("transfer_mode: copy", "transfer_mode: teleport"));
    const logs = await ws.cli(["logs", "t"]);
    expect(logs.code, logs.stderr).toBe(0);
    expect(logs.stdout).toMatch(/--- run .* SUCCESS/);
    const abort = await ws.cli(["abort", "t"]);
    expect(abort.code).toBe(1);
    expect(abort.stderr).toContain('cloudsync: error: task "t" is not running');
  });
});

describe("a remote that is not there", () => {
  it("is described as unreachable, with the host, not as rclone's generic exit code", async () => {
    const source = fresh("unreachable");
    writeTree(source, { "a.txt": "a" });
    const ws = new Workspace(fresh("ws"), { SFTP_PASS: PASSWORD });
    // Port 1: a port picked as free could be taken by another test's server before rclone dials it.
    const port = 1;
    await ws.apply({ credentials: { box: { type: "sftp", host: "127.0.0.1", port, user: "u", pass: "${SFTP_PASS}" } }, tasks: { t: { direction: "push", transfer_mode: "copy", path: source, credential: "box", folder: "x", retries: 0 } } });
    const run = await ws.run("t");
    expect(run.result.state).toBe("FAILED");
    expect(run.result.error).toMatch(new RegExp(`^host unreachable \\(127\\.0\\.0\\.1:${port}\\): connection refused`));
  }, 60_000);
});

describe("the progress bar on a terminal", () => {
  it.runIf(existsSync("/usr/bin/script"))("fits a 60-column terminal: no redraw is wider than the screen", async () => {
    const source = fresh("pty");
    writeTree(source, { "big.bin": Buffer.alloc(1_500_000, 1) });
    const ws = new Workspace(fresh("ws"));
    await ws.apply({ credentials: disk, tasks: { t: pushTask(source, fresh("pty-target"), { bwlimit: "500k", transfers: 1 }) } });
    // `script` gives the CLI a real pseudo-terminal; stty makes it 60 columns wide.
    const { execa } = await import("execa");
    const result = await execa("script", ["-qec", `stty cols 60; ${process.execPath} ${CLI} run t`, "/dev/null"], { cwd: ws.dir, env: testEnv({ NO_COLOR: "1" }), reject: false });
    const redraws = result.stdout.split(/\r|\n/).map((line) => line.replace(/\u001b\[[0-9;]*[A-Za-z]/g, "")).filter((line) => line.includes("%"));
    expect(redraws.length).toBeGreaterThan(0);
    for (const line of redraws) expect(line.length).toBeLessThan(60);
    expect(result.stdout).toMatch(/Run \S+ of t: SUCCESS/);
  });
});
