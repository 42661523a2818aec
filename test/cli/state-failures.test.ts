// A full, read-only or unreadable state directory: one line saying why, no
// stack trace, no lock or temporary file left behind. Needs root (tmpfs
// mounts, running as another user); skipped where that is not possible.
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, STACK_TRACE, tempDir } from "../helpers/cli.js";
import { writeTree } from "../helpers/tree.js";
import { Workspace } from "../helpers/workspace.js";

let base: ReturnType<typeof tempDir>;
let unavailable = "";
const mounts: string[] = [];
const NOBODY = 65534;

function tmpfs(name: string, size: string): string {
  const path = join(base.path, name);
  mkdirSync(path);
  execFileSync("mount", ["-t", "tmpfs", "-o", `size=${size},mode=0700`, "tmpfs", path], { stdio: "ignore" });
  mounts.push(path);
  return path;
}

/** Every file under a directory, relative, so litter shows. */
function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => !e.isDirectory())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

beforeAll(() => {
  base = tempDir();
  chmodSync(base.path, 0o755);
  try {
    if (process.getuid?.() !== 0) throw new Error("not root");
    tmpfs("probe", "64k");
  } catch (error) {
    unavailable = `needs root and tmpfs mounts (${(error as Error).message.split("\n")[0]})`;
    console.warn(`skipping state-failure tests: ${unavailable}`);
  }
});

afterAll(() => {
  for (const mount of mounts.reverse()) execFileSync("umount", ["-l", mount], { stdio: "ignore" });
  base.remove();
});

async function workspace(name: string, stateDir: string) {
  const source = join(base.path, `${name}-source`);
  writeTree(source, { "a.txt": "a" });
  const ws = new Workspace(join(base.path, `${name}-ws`), { CLOUDSYNC_STATE_DIR: stateDir });
  await ws.apply({ credentials: { disk: { type: "local" } }, tasks: { t: { direction: "push", transfer_mode: "copy", path: source, credential: "disk", folder: join(base.path, `${name}-target`) } } });
  return ws;
}

describe("a state directory that cannot be written", () => {
  it("a disk that fills up during a run: the run FAILED with why, told as a failure, the lock released, no temporary files", async (context) => {
    if (unavailable) return context.skip();
    const state = tmpfs("full", "256k");
    const ws = await workspace("full", state);
    const before = files(state);
    writeFileSync(join(ws.dir, "cloudsync.yaml"), "");
    const again = new Workspace(ws.dir, ws.env);
    const told = join(base.path, "full-told");
    await again.apply({
      notifications: { told: { type: "command", command: ["sh", "-c", `echo "$CLOUDSYNC_EVENT $CLOUDSYNC_STATE $CLOUDSYNC_ERROR" > ${told}`], events: ["failure"] } },
      credentials: { disk: { type: "local" } },
      tasks: { t: { direction: "push", transfer_mode: "copy", path: join(base.path, "full-source"), credential: "disk", folder: join(base.path, "full-target"), notify: ["told"], pre_script: `[ -e ${base.path}/filled ] && exit 0; touch ${base.path}/filled; dd if=/dev/zero of=${state}/filler bs=4k 2>/dev/null; echo the disk is full now` } },
    });
    const run = await again.cli(["run", "t"]);
    expect(run.code).toBe(1);
    // The record cannot say so, but whoever follows runs is told: the outcome line, and the failure notification.
    expect(run.stdout).toMatch(/^Run \S+ of t: FAILED/m);
    expect(run.stdout).toMatch(/^cannot write the run record \S+: no space left on the device$/m);
    expect(readFileSync(told, "utf8")).toMatch(/^failure FAILED cannot write the run record \S+: no space left on the device$/m);
    expect(run.stderr).not.toMatch(STACK_TRACE);
    expect(run.stderr).not.toContain("internal error");
    expect(files(state).filter((f) => f.endsWith(".tmp") || f.endsWith(".lock") || f.endsWith(".new"))).toEqual([]);
    expect(before.every((f) => existsSync(join(state, f)))).toBe(true);

    rmSync(join(state, "filler"));
    const next = await again.run("t");
    expect(next.result?.state, next.stderr).toBe("SUCCESS");
    expect(await again.log("t")).toMatch(/--- run \S+ was left running by a process that died; marked ABORTED/);
  });

  it("a read-only state directory: one line, nothing left", async (context) => {
    if (unavailable) return context.skip();
    const state = tmpfs("readonly", "1m");
    const ws = await workspace("readonly", state);
    execFileSync("mount", ["-o", "remount,ro", state]);
    for (const args of [["run", "t"], ["apply", "--auto-approve"], ["abort", "t"]]) {
      const result = await ws.cli(args);
      expect(result.code, args.join(" ")).toBe(args[0] === "apply" ? 0 : 1);
      expect(result.stderr).not.toMatch(STACK_TRACE);
      expect(result.stderr).not.toContain("internal error");
    }
    const run = await ws.cli(["run", "t"]);
    expect(run.stderr).toMatch(/^cloudsync: error: cannot (take the lock|create) \S+: read-only file system$/m);
  });

  it("an unprivileged user is told permission denied, not that nothing ran", async (context) => {
    if (unavailable) return context.skip();
    const ws = await workspace("private", join(base.path, "private-state"));
    await ws.run("t");
    chmodSync(ws.dir, 0o755);
    chmodSync(join(ws.dir, "cloudsync.yaml"), 0o644);
    const asNobody = (args: string[]) => cli(args, { cwd: ws.dir, env: ws.env, uid: NOBODY, gid: NOBODY });
    for (const args of [["status"], ["logs", "t"], ["abort", "t"], ["run", "t"]]) {
      const result = await asNobody(args);
      expect(result.code, args.join(" ")).toBe(1);
      expect(result.stderr, args.join(" ")).toContain("permission denied");
      expect(result.stderr).not.toMatch(/has not run yet|is not running|internal error/);
      expect(result.stderr).not.toMatch(STACK_TRACE);
    }
  });
});
