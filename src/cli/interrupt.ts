import type { CliContext } from "./context.js";

const NOTIFY_WAIT_MS = 5_000;

/**
 * Runs `work` with Ctrl-C and SIGTERM turned into an abort of its signal
 * (the run then ends ABORTED), telling the user; returns what it returned and
 * which signal stopped it, if one did.
 */
export async function withInterrupts<T>(ctx: CliContext, what: string, work: (signal: AbortSignal) => Promise<T>): Promise<{ value: T; interrupted: NodeJS.Signals | undefined }> {
  const controller = new AbortController();
  let interrupted: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupted = signal;
    if (!ctx.quiet && !ctx.json) ctx.stderr.write(`\n${signal === "SIGINT" ? "Interrupted" : "Terminated"}: stopping the ${what}…\n`);
    controller.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    return { value: await work(controller.signal), interrupted };
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

/** Notifications go out in the background; wait a little for them before exiting, saying so if they are not done. */
export async function waitForNotifications(ctx: CliContext): Promise<void> {
  if (!(await ctx.workspace.events.settled(NOTIFY_WAIT_MS))) ctx.stderr.write(`note: notifications still being delivered after ${NOTIFY_WAIT_MS / 1000} s were given up\n`);
}
