import { join } from "node:path";
import { cacheDirectory } from "../state/cache-directory.js";

// Before anything is loaded: a service must not die of a SIGHUP (systemctl
// reload) that arrives while it starts; the signal is kept for the service.
const hangups: (() => void)[] = [];
let earlyHangup = false;
const isService = process.argv.slice(2).includes("watch");
if (isService) process.on("SIGHUP", () => (hangups.length > 0 ? hangups.forEach((fn) => fn()) : (earlyHangup = true)));

// Node 22+ keeps compiled code between runs (the CLI starts often and briefly); 20 has no such cache.
// In the user's cache directory, not Node's default under /tmp (a temporary directory stays clean);
// NODE_COMPILE_CACHE, when set, is the user's choice and Node has already followed it.
const { enableCompileCache } = (await import("node:module")) as { enableCompileCache?: (directory?: string) => unknown };
const compiledCode = cacheDirectory(process.env);
if (enableCompileCache && compiledCode && !process.env.NODE_COMPILE_CACHE) enableCompileCache(join(compiledCode, "compiled"));

const { run } = await import("./program.js");

// A reader that goes away (`cloudsync ls … | head`) is no error of ours: stop quietly, as Unix tools do.
// A service asks to go on instead; its log then knows what to do.
let exitOnClosedOutput = true;
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    if (exitOnClosedOutput) process.exit(process.exitCode ?? 0);
  });
}

const code = await run(process.argv.slice(2), {
  env: process.env,
  cwd: process.cwd(),
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  keepServingWithoutOutput: () => {
    exitOnClosedOutput = false;
  },
  onHangup: (fn) => {
    hangups.push(fn);
    if (earlyHangup) fn();
  },
});
process.exitCode = code;
// The command is done: whatever is still pending (a notification that gets no answer) does not keep the
// process alive. Output is flushed first, as a pipe is written asynchronously.
const flushed = (stream: NodeJS.WriteStream) => new Promise<void>((resolve) => (stream.writableLength === 0 ? resolve() : stream.write("", () => resolve())));
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
process.exit(code);
