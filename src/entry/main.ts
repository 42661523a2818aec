// The CLI's process and the composition root: the one place that knows every front end. It runs
// the command the arguments name and exits with its code; `watch` gets the service (src/watch) with
// the dashboard's server (src/web) in it, so that no front end imports another. Started by the
// launcher (launcher.ts), which has held SIGHUP since the process began.
import type { StartService } from "../app/service.js";
import type { Hangups } from "../cli/hangups.js";
import { run } from "../cli/program.js";
import type { ServeDashboard } from "../app/dashboard.js";

/** The dashboard's server and the service, loaded when the service starts (other commands never need them). */
const serveDashboard: ServeDashboard = async (address, host) => (await import("../web/server.js")).serveDashboard(address, host);
const startService: StartService = async (deps) => new (await import("../watch/service.js")).WatchService({ ...deps, serveDashboard });

export async function main(hangups: Hangups): Promise<never> {
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
    onHangup: hangups.onHangup,
    startService,
  });
  process.exitCode = code;
  // The command is done: whatever is still pending (a notification that gets no answer) does not keep the
  // process alive. Output is flushed first, as a pipe is written asynchronously.
  const flushed = (stream: NodeJS.WriteStream) => new Promise<void>((resolve) => (stream.writableLength === 0 ? resolve() : stream.write("", () => resolve())));
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(code);
}
