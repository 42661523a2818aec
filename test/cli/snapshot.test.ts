// Snapshots on a real btrfs: an image file, loop-mounted. Needs root and loop devices;
// where the machine allows neither, the test says so and is skipped.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, isRunning, tempDir, testEnv } from "../helpers/cli.js";
import { readTree, writeTree } from "../helpers/tree.js";
import { awaitValue } from "../helpers/wait.js";
import { Workspace } from "../helpers/workspace.js";

let base: ReturnType<typeof tempDir>;
let mountpoint = "";
let unavailable = "";

beforeAll(() => {
  base = tempDir();
  const image = join(base.path, "btrfs.img");
  mountpoint = join(base.path, "mnt");
  mkdirSync(mountpoint);
  try {
    execFileSync("truncate", ["-s", "160M", image]);
    execFileSync("mkfs.btrfs", ["-q", image], { stdio: "ignore" });
    execFileSync("mount", ["-o", "loop", image, mountpoint], { stdio: "ignore" });
    execFileSync("btrfs", ["subvolume", "create", join(mountpoint, "data")], { stdio: "ignore" });
  } catch (error) {
    unavailable = `btrfs on a loop device is not available here (${(error as Error).message.split("\n")[0]})`;
    console.warn(`skipping snapshot tests: ${unavailable}`);
  }
});

afterAll(() => {
  if (!unavailable) execFileSync("umount", [mountpoint], { stdio: "ignore" });
  base.remove();
});

describe("snapshot: true on btrfs", () => {
  it("transfers from a read-only snapshot taken before the pre-script, and removes it, also when the run fails", async (context) => {
    if (unavailable) return context.skip();
    const data = join(mountpoint, "data");
    writeTree(data, { "photos/a.jpg": "a", "photos/b.jpg": "b", "top.txt": "t" });
    const target = join(base.path, "target");
    const subTarget = join(base.path, "sub-target");
    const ws = new Workspace(join(base.path, "ws"));
    const task = (path: string, folder: string, preScript: string) => ({
      direction: "push",
      transfer_mode: "sync",
      path,
      credential: "disk",
      folder,
      snapshot: true,
      pre_script: preScript,
    });
    await ws.apply({
      credentials: { disk: { type: "local" } },
      tasks: {
        whole: task(data, target, `echo "reading from $CLOUDSYNC_PATH"\necho late > ${data}/written-after-snapshot.txt\n`),
        sub: task(join(data, "photos"), subTarget, ""),
        failing: task(data, join(base.path, "never"), "exit 1\n"),
      },
    });

    const whole = await ws.run("whole");
    expect(whole.result).toMatchObject({ state: "SUCCESS", files: 3 });
    expect(Object.keys(readTree(target)).sort()).toEqual(["photos/a.jpg", "photos/b.jpg", "top.txt"]);
    expect(await ws.log("whole")).toMatch(/--- snapshot btrfs read-only snapshot .*\/\.cloudsync-snapshots\/whole-/);
    expect(await ws.log("whole")).toMatch(/\[pre-script\] reading from .*\/\.cloudsync-snapshots\/whole-/);

    const sub = await ws.run("sub");
    expect(sub.result).toMatchObject({ state: "SUCCESS", files: 2 });
    expect(Object.keys(readTree(subTarget)).sort()).toEqual(["a.jpg", "b.jpg"]);

    const failing = await ws.run("failing");
    expect(failing.result.state).toBe("FAILED");
    expect(existsSync(join(base.path, "never"))).toBe(false);

    expect(readdirSync(join(data, ".cloudsync-snapshots"))).toEqual([]);
    rmSync(join(data, "written-after-snapshot.txt"));
  });
});

const btrfs = (...args: string[]) => execFileSync("btrfs", args, { stdio: "ignore" });

const until = <T>(what: string, probe: () => T | undefined, timeoutMs = 15_000) => awaitValue(probe, what, timeoutMs);

describe("snapshot safety on btrfs", () => {
  it("refuses a subvolume with a nested subvolume under the path, and allows a part without one", async (context) => {
    if (unavailable) return context.skip();
    const outer = join(mountpoint, "outer");
    btrfs("subvolume", "create", outer);
    writeTree(outer, { "plain/a.txt": "a" });
    btrfs("subvolume", "create", join(outer, "inner"));
    writeTree(join(outer, "inner"), { "b.txt": "b" });
    const target = join(base.path, "nested-target");
    const ws = new Workspace(join(base.path, "ws-nested"));
    const task = (path: string, folder: string) => ({ direction: "push", transfer_mode: "sync", path, credential: "disk", folder, snapshot: true });
    await ws.apply({ credentials: { disk: { type: "local" } }, tasks: { whole: task(outer, target), part: task(join(outer, "plain"), join(base.path, "part-target")) } });

    const whole = await ws.run("whole");
    expect(whole.result.state).toBe("FAILED");
    expect(whole.result.error).toBe(`snapshot: ${join(outer, "inner")} inside ${outer} is another btrfs subvolume or file system; a snapshot would show it empty, and a sync would delete its files at the destination`);
    expect(existsSync(target)).toBe(false);
    expect((await ws.run("part")).result).toMatchObject({ state: "SUCCESS", files: 1 });
  });

  it("a snapshot left by kill -9 is never uploaded by another task, and goes at the next run; its script goes too", async (context) => {
    if (unavailable) return context.skip();
    const data = join(mountpoint, "killed");
    btrfs("subvolume", "create", data);
    writeTree(data, { "a.txt": "a" });
    const ws = new Workspace(join(base.path, "ws-killed"));
    const plainTarget = join(base.path, "plain-target");
    await ws.apply({
      credentials: { disk: { type: "local" } },
      tasks: {
        snap: { direction: "push", transfer_mode: "copy", path: data, credential: "disk", folder: join(base.path, "snap-target"), snapshot: true, pre_script: "echo $$ > $CLOUDSYNC_PATH/../../script.pid\nsleep 300\n" },
        plain: { direction: "push", transfer_mode: "sync", path: data, credential: "disk", folder: plainTarget },
      },
    });
    const run = spawn(process.execPath, [CLI, "run", "snap"], { cwd: ws.dir, env: testEnv(), stdio: "ignore" });
    const exited = new Promise((resolve) => run.on("exit", resolve));
    const snapshots = join(data, ".cloudsync-snapshots");
    const scriptPid = await until("the pre-script", () => (existsSync(join(data, "script.pid")) ? Number(readFileSync(join(data, "script.pid"), "utf8")) : undefined));
    // Killed once the run's record knows the script's group (it is written as the script starts).
    const records = join(ws.stateDir, "runs", "snap");
    const recordsGroup = () => readdirSync(records).filter((n) => n.endsWith(".json")).some((n) => JSON.parse(readFileSync(join(records, n), "utf8")).process_group?.pgid === scriptPid);
    await until("the record names the script's group", () => (recordsGroup() ? true : undefined));
    run.kill("SIGKILL");
    await exited;
    expect(readdirSync(snapshots)).toHaveLength(1);
    expect(isRunning(scriptPid)).toBe(true);

    expect((await ws.run("plain")).result.state).toBe("SUCCESS");
    expect(Object.keys(readTree(plainTarget)).sort()).toEqual(["a.txt", "script.pid"]);

    await ws.apply({
      credentials: { disk: { type: "local" } },
      tasks: { snap: { direction: "push", transfer_mode: "copy", path: data, credential: "disk", folder: join(base.path, "snap-target"), snapshot: true } },
    });
    expect((await ws.run("snap")).result.state).toBe("SUCCESS");
    const log = await ws.log("snap");
    expect(log).toMatch(/--- run \S+ was left running by a process that died; marked ABORTED/);
    expect(log).toMatch(/--- removed the snapshot .*\/\.cloudsync-snapshots\/snap-\S+, left by a run that did not finish/);
    expect(readdirSync(snapshots)).toEqual([]);
    expect(isRunning(scriptPid)).toBe(false);
  });

  it("watch removes snapshots that dead runs left, at its start", async (context) => {
    if (unavailable) return context.skip();
    const data = join(mountpoint, "at-start");
    btrfs("subvolume", "create", data);
    writeTree(data, { "a.txt": "a" });
    mkdirSync(join(data, ".cloudsync-snapshots"));
    const leftover = join(data, ".cloudsync-snapshots", "snap-20260101T000000.000Z-abcd");
    btrfs("subvolume", "snapshot", "-r", data, leftover);
    const legacy = join(data, ".cloudsync-snapshot-snap-20260101T000000.000Z-beef");
    btrfs("subvolume", "snapshot", "-r", data, legacy);
    const other = join(data, ".cloudsync-snapshots", "snap-other-20260101T000000.000Z-abcd");
    btrfs("subvolume", "snapshot", "-r", data, other);
    const ws = new Workspace(join(base.path, "ws-start"));
    await ws.apply({ credentials: { disk: { type: "local" } }, tasks: { snap: { direction: "push", transfer_mode: "copy", path: data, credential: "disk", folder: join(base.path, "t"), snapshot: true } } });

    const watch = spawn(process.execPath, [CLI, "watch"], { cwd: ws.dir, env: testEnv(), stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    watch.stdout.on("data", (d) => (output += d));
    watch.stderr.on("data", (d) => (output += d));
    await until(`the service to start; so far: ${output}`, () => (/watching/.test(output) ? true : undefined));
    watch.kill("SIGTERM");
    await new Promise((resolve) => watch.on("exit", resolve));
    expect(output).toContain(`snap: removed the snapshot ${leftover}, left by a run that did not finish`);
    expect(output).toContain(`snap: removed the snapshot ${legacy}, left by a run that did not finish`);
    // Another task's snapshot (snap-other) is not snap's.
    expect(readdirSync(join(data, ".cloudsync-snapshots"))).toEqual(["snap-other-20260101T000000.000Z-abcd"]);
    btrfs("subvolume", "delete", other);
  });
});
