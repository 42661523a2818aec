import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { stringify } from "yaml";
import { afterEach, describe, expect, it } from "vitest";
import { CLI, cli, isRunning, tempDir, testEnv } from "../helpers/cli.js";
import { writeTree } from "../helpers/tree.js";

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
function startWatch(dir: string) {
  const child: ChildProcess = spawn(process.execPath, [CLI, "watch"], { cwd: dir, env: testEnv(), stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  cleanup.push(() => child.kill("SIGKILL"));
  const waitFor = async (pattern: RegExp, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(output)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; log so far:\n${output}`);
      await sleep(50);
    }
  };
  return { child, exited, waitFor, output: () => output };
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
    await sleep(2500);
    expect(s.records("second").length).toBeGreaterThan(before);

    s.writeConfig({ first: s.task({ schedule: "*/2 * * * * *" }) });
    await watch.waitFor(/unscheduled second/);
    await sleep(300);
    const after = s.records("second").length;
    await sleep(2500);
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
    await sleep(500);
    const running = s.records("slow").find((r) => r.state === "RUNNING");
    expect(running?.process_group?.pgid).toBeGreaterThan(0);
    const stopAt = Date.now();
    watch.child.kill("SIGTERM");
    expect(await watch.exited).toBe(0);
    expect(Date.now() - stopAt).toBeLessThan(10_000);
    expect(isRunning(running!.process_group.pgid)).toBe(false);
    expect(s.records("slow").find((r) => r.id === running!.id)).toMatchObject({ state: "ABORTED" });
  }, 30_000);

  it("after kill -9 mid-run, the next start stops what was left and marks it ABORTED", async () => {
    const s = setup();
    const first = await slowService(s);
    await sleep(500);
    const running = s.records("slow").find((r) => r.state === "RUNNING");
    first.child.kill("SIGKILL");
    await first.exited;

    s.writeConfig({ slow: s.task({ bwlimit: "200k" }) });
    const second = startWatch(s.dir);
    await second.waitFor(/took over from a service that is gone \(process \d+ .*: its process is no longer running\)/);
    await second.waitFor(new RegExp(`run ${running!.id} of slow was left running by a process that died; marked ABORTED`));
    await sleep(200);
    expect(isRunning(running!.process_group.pgid)).toBe(false);
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
    const abort = await cli(["abort", "slow"], { cwd: s.dir });
    expect(abort.code).toBe(0);
    await watch.waitFor(/of slow: ABORTED/);
    const status = JSON.parse((await cli(["status", "--json"], { cwd: s.dir })).stdout);
    expect(["ABORTED", "RUNNING"]).toContain(status.tasks[0].state);
    watch.child.kill("SIGHUP");
    await watch.waitFor(/SIGHUP: re-reading the file/);
    await watch.waitFor(/started slow: run (?!.*ABORTED)/);
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
});
