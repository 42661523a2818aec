// The launcher keeps the code V8 compiled for each command in the user's cache directory, and
// runs from it the next time. A cache is only ever a speed-up: whatever is wrong with it, the
// command works as without it.
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { codeCacheFile } from "../../src/entry/code-cache.js";
import { execa } from "execa";
import { CLI, cli, tempDir, testEnv } from "../helpers/cli.js";

const dir = tempDir();
afterAll(() => dir.remove());
// The quick start's source directory, so that validate has nothing to warn about.
const DEMO = join(dir.path, "demo");
mkdirSync(join(DEMO, "documents"), { recursive: true });
let count = 0;
/** A fresh cache directory, and validate of the quickstart run with it. */
function freshCache() {
  const home = join(dir.path, `cache-${count++}`);
  mkdirSync(home);
  const validate = (env: Record<string, string> = {}) => cli(["-c", "examples/quickstart-local.yaml", "validate"], { env: { XDG_CACHE_HOME: home, CLOUDSYNC_DEMO: DEMO, ...env } });
  const root = join(home, "cloudsync", "code");
  const files = () => (existsSync(root) ? readdirSync(root).flatMap((identity) => readdirSync(join(root, identity)).map((file) => join(root, identity, file))) : []);
  return { home, root, validate, files };
}
const VALID = { code: 0, stdout: "examples/quickstart-local.yaml is valid: 1 credential, 2 tasks.\n", stderr: "" };
const stamp = (file: string) => {
  const stat = statSync(file);
  return `${stat.ino} ${stat.mtimeMs}`;
};

describe("the code cache", () => {
  it("is written by a command's first run, privately, and used as it is by the next", async () => {
    const cache = freshCache();
    expect(await cache.validate()).toEqual(VALID);
    const [file] = cache.files();
    expect(file).toMatch(/\/code\/[0-9a-f]{16}-v8-[^/]+\/validate\.bin$/);
    expect(statSync(file!).mode & 0o777).toBe(0o600);
    expect(statSync(join(file!, "..")).mode & 0o777).toBe(0o700);
    const before = stamp(file!);
    expect(await cache.validate()).toEqual(VALID);
    // Used, not written again (the code of a run that compiled afresh is).
    expect(stamp(file!)).toBe(before);
    expect(cache.files()).toEqual([file]);
  });

  it("one per command, and per set of Node options (V8 refuses code made under other flags)", async () => {
    const cache = freshCache();
    await cache.validate();
    await cli(["-c", "examples/quickstart-local.yaml", "status"], { env: { XDG_CACHE_HOME: cache.home, CLOUDSYNC_DEMO: DEMO } });
    await cache.validate({ NODE_OPTIONS: "--max-old-space-size=200" });
    const names = cache.files().map((file) => file.slice(cache.root.length + 1));
    expect(names).toHaveLength(3);
    expect(names.filter((name) => name.endsWith("/validate.bin"))).toHaveLength(2);
    expect(names.filter((name) => name.endsWith("/status.bin"))).toHaveLength(1);
  });

  it("a damaged file is refused and replaced; the command does not notice", async () => {
    const cache = freshCache();
    await cache.validate();
    const [file] = cache.files();
    const good = readFileSync(file!);
    writeFileSync(file!, Buffer.concat([good.subarray(0, 64), Buffer.alloc(good.length - 64, 0x5a)]));
    expect(await cache.validate()).toEqual(VALID);
    writeFileSync(file!, "not compiled code");
    expect(await cache.validate()).toEqual(VALID);
    expect(readFileSync(file!).length).toBeGreaterThan(1000);
  });

  it("a file others may write is not run (it could be anyone's code), but replaced by the user's own", async () => {
    const cache = freshCache();
    await cache.validate();
    const [file] = cache.files();
    // Good code, but writable by others: it is not used, so the run compiles afresh and writes its own.
    chmodSync(file!, 0o666);
    const before = stamp(file!);
    expect(await cache.validate()).toEqual(VALID);
    expect(stamp(file!)).not.toBe(before);
    expect(statSync(file!).mode & 0o777).toBe(0o600);
  });

  it("a cache that cannot be written costs nothing but time; NODE_DISABLE_COMPILE_CACHE keeps none", async () => {
    const cache = freshCache();
    mkdirSync(join(cache.home, "cloudsync"));
    chmodSync(join(cache.home, "cloudsync"), 0o500);
    // Another user, so that the directory's mode binds even when the tests run as root.
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    chmodSync(cache.home, 0o755);
    chmodSync(dir.path, 0o755);
    expect(await cli(["-c", `${process.cwd()}/examples/quickstart-local.yaml`, "validate"], { env: { XDG_CACHE_HOME: cache.home, CLOUDSYNC_DEMO: DEMO }, ...asNobody })).toMatchObject({ code: 0, stderr: "" });
    expect(cache.files()).toEqual([]);
    const off = freshCache();
    expect(await off.validate({ NODE_DISABLE_COMPILE_CACHE: "1" })).toEqual(VALID);
    expect(existsSync(off.root)).toBe(false);
  });

  it("a FIFO planted as the cache file does not hang the command; a link planted there is not followed", async () => {
    const cache = freshCache();
    await cache.validate();
    const [file] = cache.files();
    rmSync(file!);
    execFileSync("mkfifo", [file!]);
    expect(await cache.validate()).toEqual(VALID);
    // A link where the cache goes: its target stays as it was.
    const victim = join(dir.path, "victim.txt");
    writeFileSync(victim, "mine");
    rmSync(file!);
    symlinkSync(victim, file!);
    expect(await cache.validate()).toEqual(VALID);
    expect(readFileSync(victim, "utf8")).toBe("mine");
    // A link at the name a temporary file would have had, were it predictable (the command's pid is the shell's after exec).
    rmSync(file!);
    const identity = join(file!, "..");
    const planted = await execa("sh", ["-c", `ln -s ${victim} ${identity}/validate.bin.$$.tmp; exec node ${CLI} -c examples/quickstart-local.yaml validate`], { env: testEnv({ XDG_CACHE_HOME: cache.home, CLOUDSYNC_DEMO: DEMO }), reject: false });
    expect(planted.exitCode, planted.stderr).toBe(0);
    expect(readFileSync(victim, "utf8")).toBe("mine");
    expect(existsSync(file!)).toBe(true);
  });

  it("is not kept where others may write (XDG_CACHE_HOME=/tmp/x made by someone else, or open to all)", async () => {
    const open = join(dir.path, "open-to-all");
    mkdirSync(open);
    chmodSync(open, 0o777);
    expect(await cli(["-c", "examples/quickstart-local.yaml", "validate"], { env: { XDG_CACHE_HOME: open, CLOUDSYNC_DEMO: DEMO } })).toEqual(VALID);
    expect(existsSync(join(open, "cloudsync"))).toBe(false);
    if (process.getuid?.() === 0) {
      const theirs = join(dir.path, "theirs");
      mkdirSync(join(theirs, "cloudsync", "code"), { recursive: true });
      execFileSync("chown", ["-R", "65534:65534", theirs]);
      expect(await cli(["-c", "examples/quickstart-local.yaml", "validate"], { env: { XDG_CACHE_HOME: theirs, CLOUDSYNC_DEMO: DEMO } })).toEqual(VALID);
      expect(readdirSync(join(theirs, "cloudsync", "code"))).toEqual([]);
    }
  });

  it("keeps the code of a few bundles and Nodes, the newest; and removes what earlier versions kept", async () => {
    const cache = freshCache();
    const old = (name: string, days: number) => {
      const path = join(cache.root, name);
      mkdirSync(path, { recursive: true });
      writeFileSync(join(path, "validate.bin"), "old");
      const when = Date.now() / 1000 - days * 86400;
      utimesSync(path, when, when);
    };
    ["a", "b", "c", "d", "e"].forEach((name, i) => old(name, i + 1));
    mkdirSync(join(cache.home, "cloudsync", "compiled"), { recursive: true });
    await cache.validate();
    const kept = readdirSync(cache.root);
    expect(kept).toHaveLength(4);
    expect(kept.filter((name) => name.length === 1).sort()).toEqual(["a", "b", "c"]);
    expect(existsSync(join(cache.home, "cloudsync", "compiled"))).toBe(false);
  });

  it("is named after the bundle, V8, the machine, the options and where the bundle is (stack traces name its files)", () => {
    const identity = { bundle: "0123456789abcdef", v8: "11.3.244.8-node.38", arch: "x64", flags: "", path: "/opt/cloudsync/dist/cli.js" };
    const plain = codeCacheFile("/c", identity, "plan")!;
    expect(plain).toMatch(/^\/c\/code\/0123456789abcdef-v8-11\.3\.244\.8-node\.38-x64-[0-9a-f]{8}\/plan\.bin$/);
    expect(codeCacheFile("/c", { ...identity, flags: "--no-opt" }, "plan")).not.toBe(plain);
    expect(codeCacheFile("/c", { ...identity, path: "/home/me/cloudsync/dist/cli.js" }, "plan")).not.toBe(plain);
    expect(codeCacheFile("/c", { ...identity }, "plan")).toBe(plain);
    expect(codeCacheFile(null, identity, "plan")).toBeNull();
  });
});
