import { execFile } from "node:child_process";
import { statfsSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { promisify } from "node:util";
import { fsReason, UserError } from "../errors.js";

const run = promisify(execFile);

const BTRFS_MAGIC = 0x9123683e;
export const ZFS_MAGIC = 0x2fc12fc1;
/** Every btrfs subvolume's root directory has this inode number. */
const BTRFS_SUBVOLUME_INODE = 256;

export interface Snapshot {
  /** Where the task's path is inside the snapshot. */
  path: string;
  description: string;
  /** Removes the snapshot; returns a note if that failed (the run's outcome stands). */
  remove(): Promise<string | null>;
}

async function tool(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  try {
    await run(command, args, { env });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === "ENOENT") throw new UserError(`snapshot: ${command} was not found; install it or set snapshot: false`);
    throw new UserError(`snapshot: ${command} ${args.join(" ")} failed: ${(e.stderr ?? e.message).trim()}`);
  }
}

const removal = (command: string, args: string[], env: NodeJS.ProcessEnv, what: string) => async () => {
  try {
    await tool(command, args, env);
    return null;
  } catch (error) {
    return `could not remove ${what}: ${(error as Error).message}; remove it by hand`;
  }
};

async function btrfsSnapshot(path: string, name: string, env: NodeJS.ProcessEnv): Promise<Snapshot> {
  let root = path;
  while (statSync(root).ino !== BTRFS_SUBVOLUME_INODE && dirname(root) !== root) root = dirname(root);
  const target = join(root, `.cloudsync-snapshot-${name}`);
  await tool("btrfs", ["subvolume", "snapshot", "-r", root, target], env);
  return {
    path: join(target, relative(root, path)),
    description: `btrfs read-only snapshot ${target}`,
    remove: removal("btrfs", ["subvolume", "delete", target], env, `the snapshot ${target}`),
  };
}

async function zfsSnapshot(path: string, name: string, env: NodeJS.ProcessEnv): Promise<Snapshot> {
  let listing: string;
  try {
    listing = (await run("zfs", ["list", "-H", "-o", "name,mountpoint", "-t", "filesystem"], { env })).stdout;
  } catch (error) {
    throw new UserError(`snapshot: cannot list ZFS datasets: ${(error as Error).message}`);
  }
  const dataset = listing
    .split("\n")
    .map((line) => line.split("\t"))
    .filter(([, mountpoint]) => mountpoint && (path === mountpoint || path.startsWith(`${mountpoint}/`)))
    .sort((a, b) => b[1]!.length - a[1]!.length)[0];
  if (!dataset) throw new UserError(`snapshot: no ZFS dataset is mounted at or above ${path}`);
  const [datasetName, mountpoint] = dataset as [string, string];
  const snapshotName = `cloudsync-${name}`;
  await tool("zfs", ["snapshot", `${datasetName}@${snapshotName}`], env);
  return {
    path: join(mountpoint, ".zfs", "snapshot", snapshotName, relative(mountpoint, path)),
    description: `ZFS snapshot ${datasetName}@${snapshotName}`,
    remove: removal("zfs", ["destroy", `${datasetName}@${snapshotName}`], env, `the snapshot ${datasetName}@${snapshotName}`),
  };
}

/** A read-only snapshot of the filesystem `path` is on: btrfs or ZFS; anything else fails, saying why. */
export async function takeSnapshot(
  path: string,
  name: string,
  env: NodeJS.ProcessEnv,
  filesystemType: (path: string) => number = (p) => statfsSync(p).type,
): Promise<Snapshot> {
  let type: number;
  try {
    type = filesystemType(path);
  } catch (error) {
    throw new UserError(`snapshot: cannot examine ${path}: ${fsReason(error)}`);
  }
  if (type === BTRFS_MAGIC) return btrfsSnapshot(path, name, env);
  if (type === ZFS_MAGIC) return zfsSnapshot(path, name, env);
  throw new UserError(`snapshot: ${path} is not on btrfs or ZFS (filesystem type 0x${type.toString(16)}); snapshots need one of them, or set snapshot: false`);
}
