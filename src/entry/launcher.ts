// The `cloudsync` command as installed (dist/cloudsync.js): runs the CLI's bundle (dist/cli.js)
// through V8's code cache. Small on purpose: everything it loads is compiled at every start.
import { createRequire } from "node:module";
import { join } from "node:path";
import { cacheDirectory } from "../state/cache-directory.js";
import { codeCacheFile, loadBundle } from "./code-cache.js";
import { commandOf } from "../cli/command-names.js";
import { holdHangups } from "../cli/hangups.js";
import { requireLazily } from "./lazy-builtins.js";

/** The bundle's content hash, set by the build. */
declare const BUNDLE_ID: string;

const command = commandOf(process.argv.slice(2));
const hangups = holdHangups(command === "watch");
// NODE_DISABLE_COMPILE_CACHE turns Node's own cache off; it turns this one off too.
const bundle = join(__dirname, "cli.js");
const identity = { bundle: BUNDLE_ID, v8: process.versions.v8, arch: process.arch, flags: [...process.execArgv, process.env.NODE_OPTIONS ?? ""].join(" ").trim(), path: bundle };
const cacheFile = process.env.NODE_DISABLE_COMPILE_CACHE ? null : codeCacheFile(cacheDirectory(process.env), identity, command);
const cli = loadBundle(bundle, cacheFile, requireLazily(createRequire(bundle))) as typeof import("./main.js");
void cli.main(hangups);
