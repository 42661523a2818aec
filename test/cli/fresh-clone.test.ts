// The first ten minutes, as the README tells them: a fresh clone, `npm install`
// (its prepare step builds), `npm run example`, the example's closing hints
// typed as printed, and `npm install -g` from git giving a working command.
// Offline: everything comes from npm's cache, as the suite's own install filled it.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir, testEnv } from "../helpers/cli.js";

const checkout = fileURLToPath(new URL("../..", import.meta.url));
const dir = tempDir();
const repo = join(dir.path, "cloudsync");
const demo = join(dir.path, "demo");
afterAll(() => dir.remove());

const env = () => testEnv({ CLOUDSYNC_DEMO: demo, NO_COLOR: "1", npm_config_offline: "true", npm_config_audit: "false", npm_config_fund: "false", XDG_CACHE_HOME: join(dir.path, "cache") });
const npm = (args: string[], cwd = repo) => execa("npm", args, { cwd, env: env(), reject: false, all: true });

beforeAll(() => {
  // This checkout's files as a clone has them (what git tracks, and new files not ignored), committed.
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: checkout, encoding: "utf8" }).split("\0").filter(Boolean);
  for (const file of files) {
    if (!existsSync(join(checkout, file))) continue;
    mkdirSync(dirname(join(repo, file)), { recursive: true });
    cpSync(join(checkout, file), join(repo, file));
  }
  const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=test", "-c", "user.email=test@example.com", ...args], { cwd: repo, stdio: "ignore" });
  git("init", "-q");
  git("add", "-A");
  git("commit", "-qm", "fresh clone");
});

describe("a fresh clone", () => {
  it("npm install builds; npm run example runs the quick start; its hints work as printed", async () => {
    const install = await npm(["install"]);
    expect(install.exitCode, install.all).toBe(0);
    expect(existsSync(join(repo, "dist", "cloudsync.js"))).toBe(true);

    const example = await npm(["run", "example"]);
    expect(example.exitCode, example.all).toBe(0);
    expect(example.stdout).toMatch(/Run \S+ of documents: SUCCESS/);
    const hints = example.stdout.split("\n").filter((line) => line.startsWith("  npx cloudsync ") && !line.includes(" watch "));
    expect(hints.length).toBeGreaterThanOrEqual(3);
    for (const hint of hints) {
      const ran = await execa("sh", ["-c", hint.trim()], { cwd: repo, env: env(), reject: false, all: true });
      expect(ran.exitCode, `${hint}\n${ran.all}`).toBe(0);
    }
  }, 180_000);

  it("npm install -g from git gives a working cloudsync", async () => {
    const prefix = join(dir.path, "prefix");
    const installed = await npm(["install", "--global", "--prefix", prefix, `git+file://${repo}`], dir.path);
    expect(installed.exitCode, installed.all).toBe(0);
    const version = await execa(join(prefix, "bin", "cloudsync"), ["--version"], { env: env(), reject: false });
    expect(version.exitCode, version.stderr).toBe(0);
    expect(version.stdout).toMatch(/^cloudsync \d+\.\d+\.\d+/);
  }, 180_000);
});
