import { hostname } from "node:os";
import { run } from "../../app/run.js";
import { outcomeLine, runJson } from "../../views/record.js";
import { progressLine } from "../../views/format.js";
import type { CliContext } from "../context.js";
import { painter, printJson, say } from "../output.js";

export interface RunOptions {
  dryRun?: boolean;
}

/** The progress view: a bar redrawn in place on a terminal, elsewhere a plain line every few seconds. */
function showProgress(ctx: CliContext): () => void {
  const terminal = ctx.stderr.isTTY === true;
  let lastPlain = 0;
  const unsubscribe = ctx.workspace.events.subscribe((event) => {
    if (event.type === "run.started") ctx.stderr.write(`Running ${event.record.task}${event.record.dry_run ? " (dry run)" : ""} as run ${event.record.id} on ${hostname()}…\n`);
    if (event.type !== "run.progress") return;
    if (terminal) ctx.stderr.write(`\r\u001b[2K${progressLine(event.stats, true)}`);
    else if (Date.now() - lastPlain >= 5000) {
      lastPlain = Date.now();
      ctx.stderr.write(`${progressLine(event.stats, false)}\n`);
    }
  });
  return () => {
    unsubscribe();
    if (terminal) ctx.stderr.write("\r\u001b[2K");
  };
}

/** Notifications of the run go out in the background; wait a little for them before exiting, saying so if they are not done. */
async function waitForNotifications(ctx: CliContext): Promise<void> {
  if (!(await ctx.workspace.events.settled(NOTIFY_WAIT_MS))) ctx.stderr.write(`note: notifications still being delivered after ${NOTIFY_WAIT_MS / 1000} s were given up\n`);
}

const NOTIFY_WAIT_MS = 5_000;

export async function runCommand(ctx: CliContext, task: string, options: RunOptions): Promise<number> {
  const controller = new AbortController();
  let interrupted: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupted = signal;
    if (!ctx.quiet && !ctx.json) ctx.stderr.write(`\n${signal === "SIGINT" ? "Interrupted" : "Terminated"}: stopping the run…\n`);
    controller.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const stopProgress = !ctx.quiet && !ctx.json ? showProgress(ctx) : () => undefined;
  let record;
  try {
    record = await run(ctx.workspace, task, { dryRun: options.dryRun === true, trigger: "manual", signal: controller.signal });
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    stopProgress();
  }
  if (ctx.json) printJson(ctx, runJson(record));
  else {
    const paint = painter(ctx.colorStdout);
    const line = outcomeLine(record);
    say(ctx, record.state === "SUCCESS" ? line : paint(record.state === "ABORTED" ? "yellow" : "red", line));
    if (record.state !== "SUCCESS") say(ctx, `The log: cloudsync logs ${task} --run ${record.id}`);
  }
  await waitForNotifications(ctx);
  if (interrupted === "SIGINT") return 130;
  return record.state === "SUCCESS" ? 0 : 1;
}
