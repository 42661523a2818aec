// Snapshots on a real btrfs: an image file, loop-mounted. Needs root and loop devices;
// where the machine allows neither, the test says so and is skipped.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../helpers/cli.js";
import { readTree, writeTree } from "../helpers/tree.js";
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
