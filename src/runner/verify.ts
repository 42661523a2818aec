// A check of one destination: rclone check or cryptcheck, its findings in the
// log (the files that differ, are missing or unreadable) and in the
// destination's outcome.
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { buildCheckInvocation, matchingFiles, REPORTS, tally, type ReportMark } from "../rclone/check.js";
import { formatLogEvent } from "../rclone/log.js";
import { judgeCheck } from "../rclone/outcome.js";
import { runRclone } from "../rclone/process.js";
import { failed, rcloneLogFile, stopped, type DestinationRun, type Failure, type RunContext } from "./context.js";

/** Lines of the check's report written to its log, at most (the counts cover the rest). */
const MAX_REPORT_LINES = 1_000;

/** The files of one of rclone's lists (none when it wrote none). */
function listed(file: string): string[] {
  try {
    return readFileSync(file, "utf8").split("\n").filter((line) => line !== "");
  } catch {
    return [];
  }
}

export async function verifyAt(context: RunContext, destination: DestinationRun): Promise<Failure | null> {
  const { request } = context;
  const { spec } = destination;
  // Each destination's lists apart (destinations may be checked at once).
  const reportDir = join(context.tempDir, `check-${destination.name ?? "task"}`);
  mkdirSync(reportDir, { mode: 0o700 });
  const invocation = buildCheckInvocation(spec, destination.remotes, { download: request.download === true, filterFile: context.filterPath, reportDir, localSource: context.localSource, timezone: request.applied.settings?.timezone ?? null });
  destination.update({ attempts: 1 });
  destination.note(`--- rclone ${invocation.args.map(context.redact).join(" ")}`);
  let matched = 0;
  const outcome = await runRclone(context.settings.rclone, { args: invocation.args, env: { ...destination.remotes.env, ...invocation.env } }, request.env, {
    signal: context.signal,
    graceMs: context.graceMs,
    logFile: rcloneLogFile(context, destination),
    onSpawn: (group) => destination.update({ process_group: group }),
    onEvent: (event) => {
      if (event.kind === "stats") {
        destination.stats = event.stats;
        context.progress();
        destination.update({ checks: event.stats.checks }, false);
        return;
      }
      if (event.kind === "entry") matched = matchingFiles(event.message) ?? matched;
      const line = formatLogEvent(event);
      if (line !== null) destination.relay(line);
    },
  });
  destination.update({ process_group: null });
  const stop = stopped(context);
  if (stop) return stop;
  const found = {} as Record<ReportMark, number>;
  let reported = 0;
  for (const [mark, name] of Object.entries(REPORTS) as [ReportMark, string][]) {
    const files = listed(join(reportDir, name));
    found[mark] = files.length;
    for (const path of files) if (reported++ < MAX_REPORT_LINES) destination.relay(`${mark} ${path}`);
  }
  if (reported > MAX_REPORT_LINES) destination.note(`--- … and ${reported - MAX_REPORT_LINES} more differences (the counts below cover them all)`);
  const counts = tally(matched, found, invocation.localIs);
  destination.update({ check: counts, checks: matched + reported });
  const verdict = judgeCheck({ code: outcome.code, signal: outcome.signal, errorLines: outcome.errorLines, redact: context.redact, counts }, spec);
  return verdict.ok ? null : failed(verdict.reason);
}
