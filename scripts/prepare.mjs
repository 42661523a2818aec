#!/usr/bin/env node
// npm's prepare step: build dist/.
//
// `npm install -g git+…` prepares the clone by running `npm install` in it,
// and that npm inherits the outer command's settings through npm_config_*
// variables: it believes it installs globally, so it puts a link to the clone
// where the outer install will unpack the finished package (which would then
// land in the clone, deleted right after) and leaves the build's own tools out
// of the clone. So, in that case: the link becomes the empty directory the
// outer install made there, the tools are installed into the clone, and then
// the build runs.
import { spawnSync } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const { name } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

/** Whether `path` is a symbolic link into this clone. */
function linksHere(path) {
  try {
    return lstatSync(path).isSymbolicLink() && realpathSync(path).startsWith(realpathSync(root));
  } catch {
    return false;
  }
}

if (process.env.npm_config_global === "true" && process.env.npm_config_prefix) {
  const installed = join(process.env.npm_config_prefix, "lib", "node_modules", name);
  if (linksHere(installed)) {
    rmSync(installed);
    mkdirSync(installed);
  }
}
if (!existsSync(join(root, "node_modules", "esbuild"))) {
  // The outer command's settings (global, prefix, allow-scripts…) are not this install's.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_config_/i.test(key)));
  const installed = spawnSync("npm", ["install", "--include=dev", "--ignore-scripts", "--no-audit", "--no-fund", "--no-save"], { cwd: root, env, stdio: "inherit" });
  if (installed.status !== 0) process.exit(installed.status ?? 1);
}
const built = spawnSync(process.execPath, [join(root, "scripts", "build.mjs")], { cwd: root, stdio: "inherit" });
process.exit(built.status ?? 1);
