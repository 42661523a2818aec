// ZFS cannot run here; a fake `zfs` on PATH stands in for its CLI, and the
// filesystem probe is told the path is on ZFS. What is checked: the commands
// cloudsync gives and the path it transfers from.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { removeLeftoverSnapshots, takeSnapshot, ZFS_MAGIC } from "../../src/runner/snapshot.js";
import { tempDir } from "../helpers/cli.js";

const dir = tempDir();
afterAll(() => dir.remove());

const tools = (env: NodeJS.ProcessEnv) => ({ env, signal: new AbortController().signal, graceMs: 1000, filesystemType: () => ZFS_MAGIC });

function fakeZfs(mountpoint: string, failSnapshot = false, extra: { datasets?: string; snapshots?: string } = {}) {
  const bin = join(dir.path, `bin-${Math.random().toString(36).slice(2)}`);
  mkdirSync(bin);
  const calls = join(bin, "calls");
  writeFileSync(
    join(bin, "zfs"),
    `#!/bin/sh\necho "$*" >> ${calls}\ncase "$1" in\n  list) case "$*" in *snapshot*) printf '${extra.snapshots ?? ""}' ;; *) printf 'tank\\t/tank\\ntank/data\\t${mountpoint}\\n${extra.datasets ?? ""}' ;; esac ;;\n  snapshot) ${failSnapshot ? 'echo "cannot create snapshot: out of space" >&2; exit 1' : "exit 0"} ;;\n  destroy) exit 0 ;;\nesac\n`,
  );
  chmodSync(join(bin, "zfs"), 0o755);
  return { env: { ...process.env, PATH: `${bin}:${process.env.PATH}` }, calls: () => readFileSync(calls, "utf8").trim().split("\n") };
}

describe("ZFS snapshots", () => {
  it("snapshots the dataset holding the path, reads from .zfs/snapshot, and destroys it", async () => {
    const mountpoint = join(dir.path, "tank-data");
    const zfs = fakeZfs(mountpoint);
    const snapshot = await takeSnapshot(join(mountpoint, "photos/2024"), "photos-run1", tools(zfs.env));
    expect(snapshot.path).toBe(join(mountpoint, ".zfs/snapshot/cloudsync-photos-run1/photos/2024"));
    expect(snapshot.description).toBe("ZFS snapshot tank/data@cloudsync-photos-run1");
    expect(await snapshot.remove()).toBeNull();
    expect(zfs.calls()).toEqual(["list -H -o name,mountpoint -t filesystem", "snapshot tank/data@cloudsync-photos-run1", "destroy tank/data@cloudsync-photos-run1"]);
  });

  it("says why when zfs refuses", async () => {
    const mountpoint = join(dir.path, "full");
    const zfs = fakeZfs(mountpoint, true);
    await expect(takeSnapshot(mountpoint, "x", tools(zfs.env))).rejects.toThrow(/snapshot: zfs snapshot tank\/data@cloudsync-x failed: cannot create snapshot: out of space/);
  });

  it("says when no dataset is mounted above the path", async () => {
    const zfs = fakeZfs(join(dir.path, "elsewhere"));
    await expect(takeSnapshot("/srv/not-zfs", "x", tools(zfs.env))).rejects.toThrow("snapshot: no ZFS dataset is mounted at or above /srv/not-zfs");
  });

  it("refuses a dataset with a child dataset mounted inside the path, not one mounted elsewhere", async () => {
    const mountpoint = join(dir.path, "parent");
    const nested = fakeZfs(mountpoint, false, { datasets: `tank/data/child\\t${mountpoint}/photos/child\\n` });
    await expect(takeSnapshot(join(mountpoint, "photos"), "x", tools(nested.env))).rejects.toThrow(
      `snapshot: ${mountpoint}/photos/child inside ${mountpoint}/photos is the child dataset tank/data/child, which a snapshot of tank/data does not include`,
    );
    const elsewhere = fakeZfs(mountpoint, false, { datasets: `tank/data/child\\t${mountpoint}/videos\\n` });
    expect((await takeSnapshot(join(mountpoint, "photos"), "x", tools(elsewhere.env))).description).toBe("ZFS snapshot tank/data@cloudsync-x");
  });

  it("destroys the snapshots a dead run of the task left, and no other task's", async () => {
    const mountpoint = join(dir.path, "leftovers");
    const zfs = fakeZfs(mountpoint, false, {
      snapshots: "tank/data@daily-2026\\ntank/data@cloudsync-photos-20260101T000000.000Z-abcd\\ntank/data@cloudsync-photos-old-20260101T000000.000Z-abcd\\n",
    });
    const notes = await removeLeftoverSnapshots("photos", join(mountpoint, "2024"), tools(zfs.env));
    expect(notes).toEqual(["removed the snapshot tank/data@cloudsync-photos-20260101T000000.000Z-abcd, left by a run that did not finish"]);
    expect(zfs.calls().filter((c) => c.startsWith("destroy"))).toEqual(["destroy tank/data@cloudsync-photos-20260101T000000.000Z-abcd"]);
  });
});
