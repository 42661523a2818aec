import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { afterEach, describe, expect, it } from "vitest";
import { CLI, cli, isRunning, tempDir, testEnv } from "../helpers/cli.js";
import { writeTree } from "../helpers/tree.js";
import { until } from "../helpers/wait.js";

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const fn of cleanup.splice(0)) fn();
});


function setup() {
  const dir = tempDir();
  cleanup.push(() => dir.remove());
  const source = join(dir.path, "source");
  writeTree(source, { "a.txt": "a" });
  const task = (extra: Record<string, unknown> = {}) => ({
    direction: "push",
    transfer_mode: "copy",
    path: source,
    credential: "disk",
    folder: join(dir.path, "target"),
    ...extra,
  });
  const writeConfig = (tasks: Record<string, unknown>, file = "cloudsync.yaml") =>
    writeFileSync(join(dir.path, file), stringify({ version: 1, credentials: { disk: { type: "local" } }, tasks }));
  const records = (name: string) => {
    try {
      return readdirSync(join(dir.path, ".cloudsync/runs", name))
        .filter((n) => n.endsWith(".json"))
        .map((n) => JSON.parse(readFileSync(join(dir.path, ".cloudsync/runs", name, n), "utf8")));
    } catch {
      return [];
    }
  };
  return { dir: dir.path, source, task, writeConfig, records };
}

/** The service as a child process, with its log lines. */
function startWatch(dir: string, env: Record<string, string> = {}) {
  const child: ChildProcess = spawn(process.execPath, [CLI, "watch"], { cwd: dir, env: testEnv(env), stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  cleanup.push(() => child.kill("SIGKILL"));
  /** Waits for a log line matching `pattern`, written after `from` characters of the log. */
  const waitFor = async (pattern: RegExp, timeoutMs = 10_000, from = 0) => {
    try {
      await until(() => pattern.test(output.slice(from)), `the log matches ${pattern}`, timeoutMs);
    } catch {
      throw new Error(`timed out waiting for ${pattern}; log so far:\n${output}`);
    }
  };
  return { child, exited, waitFor, output: () => output };
}

/** The running run of a task once its rclone (or script) has a process group. */
async function runningRecord(s: ReturnType<typeof setup>, task: string) {
  let record: { id: string; process_group: { pgid: number } } | undefined;
  await until(() => (record = s.records(task).find((r) => r.state === "RUNNING" && r.process_group)) !== undefined, `${task} runs rclone`);
  return record!;
}

/** A service whose task "slow" (3 MB at 200 KiB/s, due every 2 s) has just started a run. */
async function slowService(s: ReturnType<typeof setup>, others: Record<string, unknown> = {}) {
  writeTree(s.source, { "big.bin": Buffer.alloc(3_000_000, 1) });
  s.writeConfig({ slow: s.task({ schedule: "*/2 * * * * *", bwlimit: "200k" }), ...others });
  const watch = startWatch(s.dir);
  await watch.waitFor(/started slow/);
  return watch;
}

describe("cloudsync watch", () => {
  it("applies on start, runs on schedule, picks up edits, survives a broken edit, unschedules a deletion", async () => {
    const s = setup();
    s.writeConfig({ first: s.task({ schedule: "*/2 * * * * *" }) });
    const watch = startWatch(s.dir);
    await watch.waitFor(/start: applied\. Plan: 2 to add/);
    await watch.waitFor(/Run \S+ of first: SUCCESS/);
    expect(s.records("first")[0]).toMatchObject({ trigger: "schedule", state: "SUCCESS" });

    s.writeConfig({ first: s.task({ schedule: "*/2 * * * * *" }), second: s.task({ schedule: "*/2 * * * * *" }) });
    await watch.waitFor(/the file changed: applied\. Plan: 1 to add, 0 to change, 0 to destroy\./);
    await watch.waitFor(/Run \S+ of second: SUCCESS/);

    writeFileSync(join(s.dir, "cloudsync.yaml"), `${readFileSync(join(s.dir, "cloudsync.yaml"), "utf8")}  broken: [\n`);
    await watch.waitFor(/cloudsync\.yaml:\d+:\d+: error: YAML syntax/);
    await watch.waitFor(/the last applied configuration keeps running/);
    const before = s.records("second").length;
    await until(() => s.records("second").length > before, "second runs again on the last applied configuration");

    s.writeConfig({ first: s.task({ schedule: "*/2 * * * * *" }) });
    await watch.waitFor(/unscheduled second/);
    await until(() => !s.records("second").some((r) => r.state === "RUNNING"), "second's last run has ended");
    const after = s.records("second").length;
    // Two more runs of first, two slots in which second would have run.
    const firstRuns = s.records("first").length;
    await until(() => s.records("first").filter((r) => r.state !== "RUNNING").length >= firstRuns + 2, "first runs twice more", 15_000);
    expect(s.records("second").length).toBe(after);

    watch.child.kill("SIGTERM");
    expect(await watch.exited).toBe(0);
  }, 40_000);

  it("picks up an apply from the CLI, and refuses a second service on the same state", async () => {
    const s = setup();
    s.writeConfig({ first: s.task() });
    const watch = startWatch(s.dir);
    await watch.waitFor(/start: applied/);
    const second = await cli(["watch"], { cwd: s.dir });
    expect(second.code).toBe(1);
    expect(second.stderr).toContain("another cloudsync watch already serves");

    s.writeConfig({ other: s.task({ schedule: "*/2 * * * * *" }) }, "other.yaml");
    expect((await cli(["-c", "other.yaml", "--state-dir", ".cloudsync", "apply", "--auto-approve"], { cwd: s.dir })).code).toBe(0);
    await watch.waitFor(/the applied state changed: following it/);
    await watch.waitFor(/scheduled other: \*\/2/);
    watch.child.kill("SIGTERM");
    expect(await watch.exited).toBe(0);
  }, 30_000);

  it("SIGTERM mid-run aborts the run, leaves no rclone, and exits 0 within 10 s", async () => {
    const s = setup();
    const watch = await slowService(s);
    const running = await runningRecord(s, "slow");
    const stopAt = Date.now();
    watch.child.kill("SIGTERM");
    expect(await watch.exited).toBe(0);
    expect(Date.now() - stopAt).toBeLessThan(10_000);
    expect(isRunning(running.process_group.pgid)).toBe(false);
    expect(s.records("slow").find((r) => r.id === running.id)).toMatchObject({ state: "ABORTED" });
  }, 30_000);

  it("after kill -9 mid-run, the next start stops what was left and marks it ABORTED", async () => {
    const s = setup();
    const first = await slowService(s);
    const running = await runningRecord(s, "slow");
    first.child.kill("SIGKILL");
    await first.exited;

    s.writeConfig({ slow: s.task({ bwlimit: "200k" }) });
    const second = startWatch(s.dir);
    await second.waitFor(/took over from a service that is gone \(process \d+ .*: its process is no longer running\)/);
    await second.waitFor(new RegExp(`run ${running.id} of slow was left running by a process that died; marked ABORTED`));
    expect(isRunning(running.process_group.pgid)).toBe(false);
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
  }, 30_000);

  it("deleting a task while it runs aborts the run", async () => {
    const s = setup();
    const watch = await slowService(s, { keep: s.task() });
    s.writeConfig({ keep: s.task() });
    await watch.waitFor(/slow was deleted while running: aborting its run/);
    await watch.waitFor(/of slow: ABORTED/);
    watch.child.kill("SIGTERM");
    expect(await watch.exited).toBe(0);
  }, 30_000);

  it("many tasks scheduled at once get one line; a few get a line each", async () => {
    const s = setup();
    s.writeConfig(Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`t${i}`, s.task({ schedule: `0 ${i % 24} * * *` })])));
    const watch = startWatch(s.dir);
    await watch.waitFor(/scheduled 30 tasks \(first due: t\d+ at \d{4}-/);
    expect(watch.output()).not.toMatch(/scheduled t0:/);
    s.writeConfig({ ...Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`t${i}`, s.task({ schedule: `0 ${i % 24} * * *` })])), extra: s.task({ schedule: "hourly" }) });
    await watch.waitFor(/scheduled extra: 0 \* \* \* \* \(next /);
    watch.child.kill("SIGTERM");
    expect(await watch.exited).toBe(0);
  }, 30_000);

  it("a changed file behind ${file:…} is applied like an edit", async () => {
    const s = setup();
    const secret = join(s.dir, "secret");
    writeFileSync(secret, "first-password\n");
    s.writeConfig({ enc: s.task({ encryption: { password: `\${file:${secret}}` } }) });
    const watch = startWatch(s.dir);
    await watch.waitFor(/start: applied/);
    writeFileSync(secret, "second-password\n");
    await watch.waitFor(/the file changed: applied\. Plan: 0 to add, 1 to change, 0 to destroy\./);
    expect(watch.output()).not.toContain("password\n");
    expect(watch.output()).not.toMatch(/first-password|second-password/);
    watch.child.kill("SIGTERM");
    expect(await watch.exited).toBe(0);
  }, 30_000);

  it("catchup: true runs once at start when a scheduled time passed while the service was down", async () => {
    const s = setup();
    s.writeConfig({ yearly: s.task({ schedule: "0 0 1 1 *", catchup: true }), skipped: s.task({ schedule: "0 0 1 1 *" }) });
    expect((await cli(["apply", "--auto-approve"], { cwd: s.dir })).code).toBe(0);
    // Pretend it was applied long ago and the service has been down since.
    const statePath = join(s.dir, ".cloudsync/state.json");
    writeFileSync(statePath, JSON.stringify({ ...JSON.parse(readFileSync(statePath, "utf8")), applied_at: "2020-06-01T00:00:00.000Z" }));
    const watch = startWatch(s.dir);
    await watch.waitFor(/yearly missed its run at 2021-01-01T\d\d:00:00\.000Z: catching up/);
    await watch.waitFor(/of yearly: SUCCESS/);
    expect(watch.output()).not.toContain("skipped missed");
    expect(s.records("skipped")).toEqual([]);
    watch.child.kill("SIGTERM");
    expect(await watch.exited).toBe(0);
  }, 30_000);

  it("SIGHUP re-reads the file; abort stops a run the service started, and the service goes on", async () => {
    const s = setup();
    const watch = await slowService(s);
    const aborted = await runningRecord(s, "slow");
    const abort = await cli(["abort", "slow"], { cwd: s.dir });
    expect(abort.code).toBe(0);
    expect(abort.stdout).toContain(`run ${aborted.id} ended ABORTED`);
    await watch.waitFor(new RegExp(`Run ${aborted.id} of slow: ABORTED`));
    expect(s.records("slow").find((r) => r.id === aborted.id)).toMatchObject({ state: "ABORTED", trigger: "schedule" });
    // The service goes on: SIGHUP is heard, and the next scheduled run is a new one.
    const before = watch.output().length;
    watch.child.kill("SIGHUP");
    await watch.waitFor(/SIGHUP: re-reading the file/, 10_000, before);
    await watch.waitFor(/started slow: run (\S+)/, 10_000, before);
    const next = /started slow: run (\S+)/.exec(watch.output().slice(before))![1];
    expect(next).not.toBe(aborted.id);
    watch.child.kill("SIGTERM");
    expect(await watch.exited).toBe(0);
  }, 30_000);

  it("the safety guards hold for scheduled runs: a sync from an empty source fails and deletes nothing", async () => {
    const s = setup();
    const empty = join(s.dir, "unmounted");
    mkdirSync(empty);
    writeTree(join(s.dir, "target"), { "precious.txt": "p" });
    s.writeConfig({ guarded: s.task({ path: empty, transfer_mode: "sync", schedule: "*/2 * * * * *" }) });
    const watch = startWatch(s.dir);
    await watch.waitFor(/of guarded: FAILED/);
    expect(s.records("guarded")[0]).toMatchObject({ trigger: "schedule", state: "FAILED", deletes: 0, error: expect.stringContaining("refusing to sync from an empty source") });
    expect(readFileSync(join(s.dir, "target", "precious.txt"), "utf8")).toBe("p");
    watch.child.kill("SIGTERM");
    expect(await watch.exited).toBe(0);
  }, 30_000);

  it("a SIGHUP while the service starts is kept for it, not fatal", async () => {
    const s = setup();
    // Enough tasks that reading the file keeps the service from starting for a while: the signal lands in that time.
    s.writeConfig(Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`t${i}`, s.task({ folder: join(s.dir, "target", String(i)) })])));
    const watch = startWatch(s.dir);
    // As soon as the process handles SIGHUP (bit 1 of SigCgt), long before it serves.
    await until(() => {
      try {
        const caught = /SigCgt:\s*([0-9a-f]+)/.exec(readFileSync(`/proc/${watch.child.pid}/status`, "utf8"))?.[1];
        return caught !== undefined && (BigInt(`0x${caught}`) & 1n) === 1n;
      } catch {
        return false;
      }
    }, "the service handles SIGHUP", 5_000);
    expect(watch.output()).not.toContain("watching");
    watch.child.kill("SIGHUP");
    await watch.waitFor(/SIGHUP: re-reading the file/);
    await watch.waitFor(/start: applied/);
    watch.child.kill("SIGTERM");
    expect(await watch.exited).toBe(0);
  }, 30_000);

  it("a log reader that goes away (watch | head) does not stop the service; SIGTERM still ends it cleanly", async () => {
    const s = setup();
    s.writeConfig({ often: s.task({ schedule: "* * * * * *" }) });
    const child = spawn(process.execPath, [CLI, "watch"], { cwd: s.dir, env: testEnv(), stdio: ["ignore", "pipe", "pipe"] });
    cleanup.push(() => child.kill("SIGKILL"));
    let errors = "";
    child.stderr!.on("data", (d) => (errors += d));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    // Read the first lines, then close the pipe as head does.
    let seen = "";
    await new Promise<void>((resolve) =>
      child.stdout!.on("data", (d) => {
        seen += d;
        if (seen.split("\n").length > 2) resolve();
      }),
    );
    child.stdout!.destroy();
    await until(() => /the log's reader went away; the log goes on on stderr/.test(errors), "the log moves to stderr");
    await until(() => /Run \S+ of often: SUCCESS/.test(errors), "a run is logged on stderr");
    expect(existsSync(join(s.dir, ".cloudsync/watch.lock"))).toBe(true);
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(existsSync(join(s.dir, ".cloudsync/watch.lock"))).toBe(false);
  }, 30_000);

  it("a state directory deleted under the service is an error: the last applied state is written back and the directory stays the service's", async () => {
    const s = setup();
    s.writeConfig({ first: s.task() });
    const watch = startWatch(s.dir);
    await watch.waitFor(/start: applied/);
    const state = readFileSync(join(s.dir, ".cloudsync/state.json"), "utf8");
    rmSync(join(s.dir, ".cloudsync"), { recursive: true, force: true });
    await watch.waitFor(/ERROR +the applied state in .* is gone \(was the directory deleted\?\); the service keeps the last applied configuration \(serial 1\) and writes it back/);
    await until(() => existsSync(join(s.dir, ".cloudsync/watch.lock")) && existsSync(join(s.dir, ".cloudsync/state.json")), "the lock is taken again and the state written back");
    expect(JSON.parse(readFileSync(join(s.dir, ".cloudsync/state.json"), "utf8"))).toEqual(JSON.parse(state));
    expect(watch.output()).not.toMatch(/unscheduled first/);
    const second = await cli(["watch"], { cwd: s.dir });
    expect(second.code).toBe(1);
    expect(second.stderr).toContain("another cloudsync watch already serves");
    watch.child.kill("SIGTERM");
    expect(await watch.exited).toBe(0);
  }, 30_000);

  it("log lines carry a level, and under systemd the syslog priority", async () => {
    const s = setup();
    s.writeConfig({ broken: s.task({ path: join(s.dir, "missing"), schedule: "* * * * * *" }) });
    const watch = startWatch(s.dir, { JOURNAL_STREAM: "8:12345" });
    await watch.waitFor(/^<6>\S+ INFO +start: applied/m);
    await watch.waitFor(/^<3>\S+ ERROR +Run \S+ of broken: FAILED/m);
    watch.child.kill("SIGTERM");
    expect(await watch.exited).toBe(0);
  }, 30_000);
});
