import { lstatSync, mkdirSync, readdirSync, statfsSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fsReason, UserError } from "../errors.js";
import { runCaptured } from "../process/run.js";
import { isInside } from "../config/safety.js";

const BTRFS_MAGIC = 0x9123683e;
export const ZFS_MAGIC = 0x2fc12fc1;
/** Every btrfs subvolume's root directory has this inode number. */
const BTRFS_SUBVOLUME_INODE = 256;

/** Where btrfs snapshots go: one directory at the top of the subvolume, left out of every transfer. */
export const SNAPSHOT_DIRECTORY = ".cloudsync-snapshots";
const LEGACY_SNAPSHOT_PREFIX = ".cloudsync-snapshot-";
/**
 * Never transferred, in either direction: ZFS's snapshot directory (it
 * holds every snapshot of the dataset) and cloudsync's own snapshots, also
 * under the names versions before 0.2 gave them.
 */
export const NEVER_TRANSFERRED = [".zfs/", `${SNAPSHOT_DIRECTORY}/`, `${LEGACY_SNAPSHOT_PREFIX}*/`];

const RUN_ID = String.raw`\d{8}T\d{6}\.\d{3}Z-[0-9a-f]{4}`;
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export interface Snapshot {
  /** Where the task's path is inside the snapshot. */
  path: string;
  description: string;
  /** Removes the snapshot; returns a note if that failed (the run's outcome stands). */
  remove(): Promise<string | null>;
}

/** How snapshot commands run: through the one process runner, stoppable with the run. */
export interface SnapshotTools {
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  graceMs: number;
  /** The file system type of a path (statfs); tests stand in for ZFS. */
  filesystemType?: (path: string) => number;
}

async function tool(command: string, args: string[], tools: SnapshotTools): Promise<string> {
  const outcome = await runCaptured({ command, args, env: tools.env, signal: tools.signal, graceMs: tools.graceMs });
  if (outcome.spawnError?.code === "ENOENT") throw new UserError(`snapshot: ${command} was not found; install it or set snapshot: false`);
  if (outcome.spawnError) throw new UserError(`snapshot: cannot run ${command}: ${outcome.spawnError.message}`);
  if (outcome.stoppedBy) throw new UserError(`snapshot: ${command} ${args.join(" ")} was stopped`);
  if (outcome.code !== 0) throw new UserError(`snapshot: ${command} ${args.join(" ")} failed: ${(outcome.stderr || outcome.stdout).trim()}`);
  return outcome.stdout;
}

const removal = (command: string, args: string[], tools: SnapshotTools, what: string) => async () => {
  try {
    // Removal runs also after an abort: it must not be stopped by the run's signal.
    await tool(command, args, { ...tools, signal: new AbortController().signal });
    return null;
  } catch (error) {
    return `could not remove ${what}: ${(error as Error).message}; remove it by hand`;
  }
};

function filesystemType(path: string, tools: SnapshotTools): number {
  try {
    return (tools.filesystemType ?? ((p) => statfsSync(p).type))(path);
  } catch (error) {
    throw new UserError(`snapshot: cannot examine ${path}: ${fsReason(error)}`);
  }
}

/** The root of the btrfs subvolume that holds `path`. */
function subvolumeRoot(path: string): string {
  let root = path;
  while (statSync(root).ino !== BTRFS_SUBVOLUME_INODE && dirname(root) !== root) root = dirname(root);
  return root;
}

const isOwnSnapshotDirectory = (name: string) => name === SNAPSHOT_DIRECTORY || name.startsWith(LEGACY_SNAPSHOT_PREFIX) || name === ".zfs";

/**
 * The first directory below `path` that is on another device: a nested btrfs
 * subvolume or a mount. A snapshot shows such a directory empty, and a sync
 * from it would delete its files at the destination.
 */
function firstNestedDevice(path: string): string | undefined {
  const device = statSync(path).dev;
  const pending = [path];
  while (pending.length > 0) {
    const dir = pending.pop()!;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue; // unreadable: rclone will say so
    }
    for (const entry of entries) {
      if (!entry.isDirectory() || isOwnSnapshotDirectory(entry.name)) continue;
      const full = join(dir, entry.name);
      try {
        if (lstatSync(full).dev !== device) return full;
      } catch {
        continue;
      }
      pending.push(full);
    }
  }
  return undefined;
}

const nestedRefusal = (inside: string, path: string, what: string) =>
  new UserError(
    `snapshot: ${inside} inside ${path} is ${what}; a snapshot would show it empty, and a sync would delete its files at the destination`,
    "Give it a task of its own and point this task's path elsewhere, or set snapshot: false.",
  );

async function btrfsSnapshot(path: string, name: string, tools: SnapshotTools): Promise<Snapshot> {
  const nested = firstNestedDevice(path);
  if (nested) throw nestedRefusal(nested, path, "another btrfs subvolume or file system");
  const root = subvolumeRoot(path);
  const directory = join(root, SNAPSHOT_DIRECTORY);
  try {
    mkdirSync(directory, { mode: 0o700, recursive: true });
  } catch (error) {
    throw new UserError(`snapshot: cannot create ${directory}: ${fsReason(error)}`);
  }
  const target = join(directory, name);
  await tool("btrfs", ["subvolume", "snapshot", "-r", root, target], tools);
  return {
    path: join(target, relative(root, path)),
    description: `btrfs read-only snapshot ${target}`,
    remove: removal("btrfs", ["subvolume", "delete", target], tools, `the snapshot ${target}`),
  };
}

interface Dataset {
  name: string;
  mountpoint: string;
}

async function zfsDatasets(tools: SnapshotTools): Promise<Dataset[]> {
  let listing: string;
  try {
    listing = await tool("zfs", ["list", "-H", "-o", "name,mountpoint", "-t", "filesystem"], tools);
  } catch (error) {
    throw new UserError(`snapshot: cannot list ZFS datasets: ${(error as Error).message.replace(/^snapshot: /, "")}`);
  }
  return listing
    .split("\n")
    .map((line) => line.split("\t"))
    .filter((fields): fields is [string, string] => fields.length === 2 && fields[1]!.startsWith("/"))
    .map(([name, mountpoint]) => ({ name, mountpoint }));
}

/** The dataset mounted nearest above `path`. */
function datasetOf(path: string, datasets: readonly Dataset[]): Dataset {
  const found = datasets.filter((d) => isInside(path, d.mountpoint)).sort((a, b) => b.mountpoint.length - a.mountpoint.length)[0];
  if (!found) throw new UserError(`snapshot: no ZFS dataset is mounted at or above ${path}`);
  return found;
}

async function zfsSnapshot(path: string, name: string, tools: SnapshotTools): Promise<Snapshot> {
  const datasets = await zfsDatasets(tools);
  const dataset = datasetOf(path, datasets);
  const child = datasets.find((d) => d.name.startsWith(`${dataset.name}/`) && isInside(d.mountpoint, path));
  if (child) throw nestedRefusal(child.mountpoint, path, `the child dataset ${child.name}, which a snapshot of ${dataset.name} does not include`);
  const snapshotName = `cloudsync-${name}`;
  await tool("zfs", ["snapshot", `${dataset.name}@${snapshotName}`], tools);
  return {
    path: join(dataset.mountpoint, ".zfs", "snapshot", snapshotName, relative(dataset.mountpoint, path)),
    description: `ZFS snapshot ${dataset.name}@${snapshotName}`,
    remove: removal("zfs", ["destroy", `${dataset.name}@${snapshotName}`], tools, `the snapshot ${dataset.name}@${snapshotName}`),
  };
}

/**
 * A read-only snapshot of the filesystem `path` is on (btrfs or ZFS), named
 * `name`; anything else, or a tree with nested subvolumes or datasets, fails
 * saying why.
 */
export async function takeSnapshot(path: string, name: string, tools: SnapshotTools): Promise<Snapshot> {
  const type = filesystemType(path, tools);
  if (type === BTRFS_MAGIC) return btrfsSnapshot(path, name, tools);
  if (type === ZFS_MAGIC) return zfsSnapshot(path, name, tools);
  throw new UserError(`snapshot: ${path} is not on btrfs or ZFS (filesystem type 0x${type.toString(16)}); snapshots need one of them, or set snapshot: false`);
}

/**
 * Removes the snapshots of `task` that a process which died left behind
 * (their names carry the task and a run id). Call it holding the task's
 * lock, so no live run's snapshot is touched. Returns a line per snapshot.
 */
export async function removeLeftoverSnapshots(task: string, path: string, tools: SnapshotTools): Promise<string[]> {
  let type: number;
  try {
    type = filesystemType(path, tools);
  } catch {
    return []; // the run says what is wrong with its path
  }
  const ours = new RegExp(`^${escapeRegExp(task)}-${RUN_ID}$`);
  const notes: string[] = [];
  const remove = async (command: string, args: string[], what: string) => {
    const failure = await removal(command, args, tools, what)();
    notes.push(failure ?? `removed ${what}, left by a run that did not finish`);
  };
  if (type === BTRFS_MAGIC) {
    const root = subvolumeRoot(path);
    const names = (dir: string) => {
      try {
        return readdirSync(dir);
      } catch {
        return [];
      }
    };
    for (const name of names(join(root, SNAPSHOT_DIRECTORY)).filter((n) => ours.test(n))) {
      const target = join(root, SNAPSHOT_DIRECTORY, name);
      await remove("btrfs", ["subvolume", "delete", target], `the snapshot ${target}`);
    }
    for (const name of names(root).filter((n) => n.startsWith(LEGACY_SNAPSHOT_PREFIX) && ours.test(n.slice(LEGACY_SNAPSHOT_PREFIX.length)))) {
      await remove("btrfs", ["subvolume", "delete", join(root, name)], `the snapshot ${join(root, name)}`);
    }
  } else if (type === ZFS_MAGIC) {
    let dataset: Dataset;
    let listing: string;
    try {
      dataset = datasetOf(path, await zfsDatasets(tools));
      listing = await tool("zfs", ["list", "-H", "-o", "name", "-t", "snapshot", "-d", "1", dataset.name], tools);
    } catch (error) {
      return [`could not look for snapshots left by earlier runs: ${(error as Error).message}`];
    }
    const prefix = `${dataset.name}@cloudsync-`;
    for (const snapshot of listing.split("\n").filter((s) => s.startsWith(prefix) && ours.test(s.slice(prefix.length)))) {
      await remove("zfs", ["destroy", snapshot], `the snapshot ${snapshot}`);
    }
  }
  return notes;
}
