import { hostname } from "node:os";
import { computePlan } from "../../plan/diff.js";
import type { RcloneStats } from "../../rclone/log.js";
import { runTask } from "../../runner/run-task.js";
import type { RunRecord } from "../../runner/records.js";
import { editedConfig, locateStore } from "../config-file.js";
import type { CliContext } from "../context.js";
import { formatBytes, formatDuration, progressLine } from "../progress.js";
import { painter, printJson, say } from "../output.js";

export interface RunOptions {
  dryRun?: boolean;
}

/** The one-line outcome of a run, as `run` prints it and the service logs it. */
export function outcomeLine(record: RunRecord): string {
  const duration = record.finished_at ? formatDuration(Date.parse(record.finished_at) - Date.parse(record.started_at)) : "-";
  const what = `${record.files} file${record.files === 1 ? "" : "s"}, ${formatBytes(record.bytes)}, ${record.deletes} deleted`;
  return `Run ${record.id} of ${record.task}${record.dry_run ? " (dry run)" : ""}: ${record.state} — ${what}, in ${duration}${record.error ? `\n${record.error}` : ""}`;
}

export async function runCommand(ctx: CliContext, task: string, options: RunOptions): Promise<number> {
  const { store, text } = await locateStore(ctx);
  const applied = store.read();
  const edited = applied.tasks[task] ? await editedConfig(ctx, text, applied) : null;
  if (edited) {
    const change = computePlan(edited, applied).changes.find(
      (c) => c.address === `task.${task}` || (c.kind === "credential" && c.name === applied.tasks[task]!.credential) || c.kind === "settings",
    );
    if (change) ctx.stderr.write(`note: ${ctx.configName} differs from what is applied (${change.address}); this runs the applied version. cloudsync apply updates it.\n`);
  }

  const controller = new AbortController();
  let interrupted: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupted = signal;
    if (!ctx.quiet && !ctx.json) ctx.stderr.write(`\n${signal === "SIGINT" ? "Interrupted" : "Terminated"}: stopping the run…\n`);
    controller.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  // A bar redrawn in place on a terminal; elsewhere a plain line every few seconds.
  const terminal = ctx.stderr.isTTY === true;
  let lastPlain = 0;
  const showProgress = !ctx.quiet && !ctx.json;
  const onProgress = (stats: RcloneStats) => {
    if (!showProgress) return;
    if (terminal) ctx.stderr.write(`\r\u001b[2K${progressLine(stats, true)}`);
    else if (Date.now() - lastPlain >= 5000) {
      lastPlain = Date.now();
      ctx.stderr.write(`${progressLine(stats, false)}\n`);
    }
  };

  let record: RunRecord;
  try {
    record = await runTask({
      stateDir: store.dir,
      task,
      applied,
      dryRun: options.dryRun === true,
      trigger: "manual",
      env: ctx.env,
      signal: controller.signal,
      onProgress,
      onStart: (r) => {
        if (showProgress) ctx.stderr.write(`Running ${task}${r.dry_run ? " (dry run)" : ""} as run ${r.id} on ${hostname()}…\n`);
      },
    });
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  if (showProgress && terminal) ctx.stderr.write("\r\u001b[2K");

  if (ctx.json) {
    printJson(ctx, {
      task,
      run_id: record.id,
      state: record.state,
      dry_run: record.dry_run,
      bytes: record.bytes,
      files: record.files,
      deletes: record.deletes,
      checks: record.checks,
      attempts: record.attempts,
      duration_ms: record.finished_at ? Date.parse(record.finished_at) - Date.parse(record.started_at) : null,
      error: record.error,
    });
  } else {
    const paint = painter(ctx.colorStdout);
    const line = outcomeLine(record);
    say(ctx, record.state === "SUCCESS" ? line : paint(record.state === "ABORTED" ? "yellow" : "red", line));
    if (record.state !== "SUCCESS") say(ctx, `The log: cloudsync logs ${task} --run ${record.id}`);
  }
  if (interrupted === "SIGINT") return 130;
  return record.state === "SUCCESS" ? 0 : 1;
}
