import { hostname } from "node:os";
import { run } from "../../app/run.js";
import { runEphemeralCommand } from "../ephemeral.js";
import { outcomeLine, runJson } from "../../views/record.js";
import { progressLine } from "../../views/format.js";
import type { CliContext } from "../context.js";
import { waitForNotifications, withInterrupts } from "../interrupt.js";
import { painter, printJson, say } from "../output.js";

export interface RunOptions {
  dryRun?: boolean;
  ephemeral?: boolean;
  scheduled?: boolean;
  destination?: string;
}

/** A terminal's width; a pseudo-terminal nobody sized says 0, which means "unknown", not "no room". */
function terminalWidth(stream: unknown): number {
  const columns = (stream as { columns?: number }).columns;
  return columns !== undefined && columns > 0 ? columns : 80;
}

/** The progress view: a bar redrawn in place on a terminal, elsewhere a plain line every few seconds. */
function showProgress(ctx: CliContext): () => void {
  const terminal = ctx.stderr.isTTY === true;
  let lastPlain = 0;
  const unsubscribe = ctx.workspace.events.subscribe((event) => {
    if (event.type === "run.started") ctx.stderr.write(`Running ${event.record.task}${event.record.dry_run ? " (dry run)" : ""} as run ${event.record.id} on ${hostname()}…\n`);
    if (event.type !== "run.progress") return;
    // Never wider than the terminal: a wrapped line would leave a stale copy behind at every redraw.
    if (terminal) ctx.stderr.write(`\r\u001b[2K${progressLine(event.stats, true, terminalWidth(ctx.stderr))}`);
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

export async function runCommand(ctx: CliContext, task: string, options: RunOptions): Promise<number> {
  const trigger = options.scheduled ? "schedule" : "manual";
  if (options.ephemeral) return runEphemeralCommand(ctx, task, { dryRun: options.dryRun === true, trigger, destination: options.destination });
  const stopProgress = !ctx.quiet && !ctx.json ? showProgress(ctx) : () => undefined;
  let outcome;
  try {
    outcome = await withInterrupts(ctx, "run", (signal) => run(ctx.workspace, task, { dryRun: options.dryRun === true, trigger, signal, destination: options.destination }));
  } finally {
    stopProgress();
  }
  const { value: record, interrupted } = outcome;
  if (ctx.json) printJson(ctx, runJson(record));
  else {
    const paint = painter(ctx.colorStdout);
    const line = outcomeLine(record);
    say(ctx, record.state === "SUCCESS" ? line : paint(record.state === "ABORTED" || record.state === "HELD" ? "yellow" : "red", line));
    if (record.state !== "SUCCESS") say(ctx, `The log: cloudsync logs ${task} --run ${record.id}`);
  }
  await waitForNotifications(ctx);
  if (interrupted === "SIGINT") return 130;
  return record.state === "SUCCESS" ? 0 : 1;
}
