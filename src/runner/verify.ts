// A check of one destination: rclone check or cryptcheck, its combined
// report in the log, its findings in the destination's outcome.
import { buildCheckInvocation, parseReportLine, tally, type Mark } from "../rclone/check.js";
import { formatLogEvent } from "../rclone/log.js";
import { judgeCheck } from "../rclone/outcome.js";
import { runRclone } from "../rclone/process.js";
import { failed, stopped, type DestinationRun, type Failure, type RunContext } from "./context.js";

/** Lines of the check's report written to its log, at most (the counts cover the rest). */
const MAX_REPORT_LINES = 1_000;

export async function verifyAt(context: RunContext, destination: DestinationRun): Promise<Failure | null> {
  const { request } = context;
  const { spec } = destination;
  const invocation = buildCheckInvocation(spec, destination.remotes, { download: request.download === true, filterFile: context.filterPath, localSource: context.localSource, timezone: request.applied.settings?.timezone ?? null });
  destination.update({ attempts: 1 });
  destination.note(`--- rclone ${invocation.args.map(context.redact).join(" ")}`);
  const marks: Mark[] = [];
  let reported = 0;
  const outcome = await runRclone(context.settings.rclone, { args: invocation.args, env: { ...destination.remotes.env, ...invocation.env } }, request.env, {
    signal: context.signal,
    graceMs: context.graceMs,
    onSpawn: (group) => destination.update({ process_group: group }),
    onStdout: (line) => {
      const entry = parseReportLine(line);
      if (!entry) return;
      marks.push(entry.mark);
      if (entry.mark !== "=" && reported++ < MAX_REPORT_LINES) destination.relay(`${entry.mark} ${entry.path}`);
    },
    onEvent: (event) => {
      if (event.kind === "stats") {
        destination.stats = event.stats;
        context.progress();
        destination.update({ checks: event.stats.checks }, false);
        return;
      }
      const line = formatLogEvent(event);
      if (line !== null) destination.relay(line);
    },
  });
  destination.update({ process_group: null });
  const stop = stopped(context);
  if (stop) return stop;
  if (reported > MAX_REPORT_LINES) destination.note(`--- … and ${reported - MAX_REPORT_LINES} more differences (the counts below cover them all)`);
  const counts = tally(marks, invocation.localIs);
  destination.update({ check: counts, checks: marks.length });
  const verdict = judgeCheck({ code: outcome.code, signal: outcome.signal, errorLines: outcome.errorLines, redact: context.redact, counts }, spec);
  return verdict.ok ? null : failed(verdict.reason);
}
