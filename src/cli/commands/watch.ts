import { dashboardLink } from "../../app/dashboard.js";
import { loadFile, openStore } from "../../app/workspace.js";
import type { Level } from "../../model/events.js";
import { serviceLogLines } from "../../views/service-log.js";
import type { Service } from "../../app/service.js";
import { UserError } from "../../errors.js";
import type { CliContext } from "../context.js";

/** syslog priorities, which journald reads from the start of a line (`journalctl -p err` finds failures). */
const PRIORITY: Record<Level, string> = { error: "<3>", warning: "<4>", info: "<6>" };

/**
 * The service log: one line per event, each with a timestamp and a level,
 * never coloured; under systemd with the priority prefix. If its reader goes
 * away (`watch | head`), the log goes on on stderr and the service keeps serving.
 */
function serviceLog(ctx: CliContext): (level: Level, text: string) => void {
  const journal = ctx.env.JOURNAL_STREAM !== undefined;
  let sink: NodeJS.WritableStream | null = ctx.stdout;
  ctx.keepServingWithoutOutput();
  ctx.stdout.on("error", () => {
    if (sink !== ctx.stdout) return;
    sink = ctx.stderr;
    write("warning", "the log's reader went away; the log goes on on stderr");
  });
  ctx.stderr.on("error", () => {
    if (sink === ctx.stderr) sink = null;
  });
  const write = (level: Level, text: string) => sink?.write(`${journal ? PRIORITY[level] : ""}${new Date().toISOString()} ${level.toUpperCase().padEnd(7)} ${text}\n`);
  return write;
}

/** `cloudsync watch`: the service, until SIGTERM or SIGINT. */
export interface WatchOptions {
  web?: string;
}

export async function watchCommand(ctx: CliContext, options: WatchOptions = {}): Promise<number> {
  // Signals first: one that arrives while the service starts is acted on once it has started, never fatal.
  if (!ctx.startService) throw new UserError("this build of cloudsync has no service");
  let service: Service | undefined;
  let reloadAsked = false;
  const stopped = new Promise<NodeJS.Signals>((resolve) => {
    process.once("SIGTERM", () => resolve("SIGTERM"));
    process.once("SIGINT", () => resolve("SIGINT"));
  });
  ctx.onHangup(() => (service ? service.reload() : (reloadAsked = true)));

  const log = serviceLog(ctx);
  const ws = ctx.workspace;
  ws.events.subscribe((event) => {
    for (const line of serviceLogLines(event)) log(line.level, line.text);
  });
  // Only the settings are kept: this frame lives as long as the service, and the whole first load with it.
  const store = openStore(ws, (await loadFile(ws)).config?.settings ?? null);
  const running = await ctx.startService({ workspace: ws, store, load: () => loadFile(ws), webListen: options.web });
  try {
    await running.start();
    service = running;
    // On a terminal (not in the journal), the link that logs into the page, as `cloudsync dashboard` prints it.
    if (ctx.stdout.isTTY) {
      const link = await dashboardLink(ws).catch(() => null);
      if (link?.token === "generated") log("info", `open the dashboard: ${link.login}`);
    }
    if (reloadAsked) running.reload();
    const ended = await Promise.race([stopped, running.failed]);
    await running.stop(typeof ended === "string" ? ended : "lost its state directory");
    log("info", "stopped");
    return typeof ended === "string" ? 0 : 1;
  } catch (error) {
    await running.stop("start-up failed");
    throw error;
  }
}
