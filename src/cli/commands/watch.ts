import { UserError } from "../../errors.js";
import { WatchService } from "../../watch/service.js";
import { loadConfigFile } from "../config-file.js";
import type { CliContext } from "../context.js";
import { openStore } from "../state-dir.js";
import { outcomeLine } from "./run.js";

/** `cloudsync watch`: the service, until SIGTERM or SIGINT. Logs are lines with a timestamp, never coloured. */
export async function watchCommand(ctx: CliContext): Promise<number> {
  const log = (line: string) => ctx.stdout.write(`${new Date().toISOString()} ${line}\n`);
  // A service whose log reader goes away (a closed pipe) keeps serving.
  ctx.stdout.on("error", () => undefined);
  const first = await loadConfigFile(ctx);
  const store = openStore(ctx, first.config?.settings ?? null);
  if (!first.config && store.read().serial === 0) {
    for (const line of first.diagnostics) ctx.stderr.write(`${line.file}:${line.line}:${line.column}: ${line.severity}: ${line.message}\n`);
    throw new UserError(`${ctx.configName} has errors and nothing is applied yet; fix the file, then start the service`);
  }
  const service = new WatchService({
    store,
    configPath: ctx.configPath,
    load: () => loadConfigFile(ctx),
    env: ctx.env,
    log,
    describeRun: outcomeLine,
  });
  await service.start();
  const stopped = new Promise<NodeJS.Signals>((resolve) => {
    process.once("SIGTERM", () => resolve("SIGTERM"));
    process.once("SIGINT", () => resolve("SIGINT"));
  });
  const onHangup = () => service.reload();
  process.on("SIGHUP", onHangup);
  const signal = await stopped;
  process.off("SIGHUP", onHangup);
  log(`${signal}: stopping (runs in progress are aborted)`);
  await service.stop();
  log("stopped");
  return 0;
}
