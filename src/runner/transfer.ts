// One destination's transfer: the places it writes checked as they really
// are, the deletion limit worked out, then rclone, retried with backoff on a
// failure that may pass; after a success, its expired versions pruned.
import { durationMs } from "../model/config.js";
import { remoteOf } from "../plan/diff.js";
import { buildInvocation, endpoints } from "../rclone/command.js";
import { formatLogEvent, isDecryptionFailure } from "../rclone/log.js";
import { judgeTransfer } from "../rclone/outcome.js";
import { runRclone } from "../rclone/process.js";
import { VersionStore, VersionStoreError } from "../rclone/version-store.js";
import { backupDirFor, expiredStamps, pruneNeedsALook, versionStamp } from "../rclone/versions.js";
import { VersionsSeen } from "../state/versions-seen.js";
import { failed, guardContext, rcloneLogFile, retryOrFail, stopped, type DestinationRun, type Failure, type RunContext } from "./context.js";
import { checkRealPlaces, checkSourceNotEmpty, deletionLimit } from "./guards.js";

/** How often a running record is saved, for other processes (status) to read its progress. */
const PROGRESS_SAVE_MS = 1_000;

/** How one attempt ends: done, failed, or to be tried again after the backoff. */
type Attempt = Failure | null | "retry";

/**
 * A sync or move from a source with nothing to transfer is refused before any destination is written
 * (a sync from it deletes everything); a listing that fails in a way that may pass is tried again.
 */
export async function sourceNotEmpty(context: RunContext): Promise<Failure | null> {
  const guards = guardContext(context, context.destinations[0]!);
  for (let attempt = 1; ; attempt++) {
    const source = await checkSourceNotEmpty(guards);
    if (source.ok) return null;
    const outcome = stopped(context) ?? (await retryOrFail(context, attempt, source.reason, source.retryable === true, "listing the source", context.note));
    if (outcome !== "retry") return outcome;
  }
}

/** One destination's transfer, with its retries; its expired versions pruned after a success. */
export async function transferTo(context: RunContext, destination: DestinationRun): Promise<Failure | null> {
  for (;;) {
    destination.update({ attempts: destination.outcome.attempts + 1, process_group: null });
    const outcome = await attempt(context, destination);
    if (outcome === "retry") continue;
    if (outcome === null) await pruneVersions(context, destination);
    return outcome;
  }
}

/** One attempt: the places written must be allowed, the deletion limit is worked out, then rclone runs. */
async function attempt(context: RunContext, destination: DestinationRun): Promise<Attempt> {
  const { spec } = destination;
  const places = checkRealPlaces(spec, context.request.applied.credentials[spec.credential]?.type === "local");
  if (!places.ok) return failed(places.reason);
  if (context.approval) return runRcloneOnce(context, destination, null);
  const limit = await deletionLimit(guardContext(context, destination));
  if (!limit.ok) return stopped(context) ?? retryOrFail(context, destination.outcome.attempts, limit.reason, limit.retryable === true, "counting the destination", destination.note);
  if (limit.value) destination.note(`--- ${limit.value.note}`);
  return runRcloneOnce(context, destination, limit.value?.limit ?? null);
}

async function runRcloneOnce(context: RunContext, destination: DestinationRun, maxDelete: number | null): Promise<Attempt> {
  const { request } = context;
  const { spec } = destination;
  const invocation = buildInvocation(spec, destination.remotes, {
    dryRun: request.dryRun,
    filterFile: context.filterPath,
    localSource: context.localSource,
    maxDelete,
    timezone: request.applied.settings?.timezone ?? null,
    backupDir: spec.versions ? backupDirFor(endpoints(spec, destination.remotes.remote, context.localSource).destination, versionStamp(new Date(context.record.started_at))) : null,
  });
  const attempts = destination.outcome.attempts;
  destination.note(`--- rclone ${invocation.args.map(context.redact).join(" ")}${attempts > 1 ? ` (attempt ${attempts} of ${spec.retries + 1})` : ""}`);
  const before = destination.outcome;
  let savedAt = 0;
  let undecryptable = 0;
  const outcome = await runRclone(context.settings.rclone, invocation, request.env, {
    signal: context.signal,
    graceMs: context.graceMs,
    logFile: rcloneLogFile(context, destination),
    onSpawn: (group) => destination.update({ process_group: group }),
    onEvent: (event) => {
      if (isDecryptionFailure(event)) undecryptable++;
      if (event.kind === "stats") {
        const { stats } = event;
        destination.stats = stats;
        context.progress();
        // Saved about once a second, for other processes (status, the web page) to read its progress.
        const save = Date.now() - savedAt >= PROGRESS_SAVE_MS;
        if (save) savedAt = Date.now();
        destination.update({ bytes: before.bytes + stats.bytes, files: before.files + stats.transfers, deletes: before.deletes + stats.deletes, checks: before.checks + stats.checks }, save);
      }
      const line = formatLogEvent(event);
      if (line !== null) destination.relay(line);
    },
  });
  destination.update({ process_group: null });
  const stop = stopped(context);
  if (stop) return stop;

  const verdict = judgeTransfer({
    code: outcome.code,
    signal: outcome.signal,
    errorLines: outcome.errorLines,
    maxDelete,
    dryRun: request.dryRun,
    deletingAt: spec.direction === "push" ? remoteOf(spec) : spec.path,
    encrypted: spec.encryption !== null,
    undecryptable,
    progressed: destination.outcome.files + destination.outcome.checks !== before.files + before.checks,
    userArgs: spec.rclone_args,
    redact: context.redact,
  });
  switch (verdict.kind) {
    case "succeeded":
      if (verdict.warning) destination.note(`--- warning: ${verdict.warning}`);
      return null;
    case "deletion-limit":
      destination.update({ deletes: Math.min(destination.outcome.deletes, before.deletes + verdict.maxDelete) });
      return { state: "HELD", error: `${verdict.reason}. cloudsync approve ${request.task} lets the next run go beyond the limit once` };
    case "failed":
      return retryOrFail(context, attempts, verdict.reason, verdict.retryable, verdict.summary, destination.note);
  }
}

/**
 * After a successful transfer, version folders older than versions.keep go. A prune that fails is a
 * warning in the run's log: the backup itself succeeded. A dry run prunes nothing.
 */
async function pruneVersions(context: RunContext, destination: DestinationRun): Promise<void> {
  const { request } = context;
  const { spec } = destination;
  if (!spec.versions || request.dryRun) return;
  const now = (request.now ?? (() => new Date()))();
  const keepMs = durationMs(spec.versions.keep);
  const seen = new VersionsSeen(request.stateDir, destination.name);
  const last = seen.read(request.task);
  if (!pruneNeedsALook(last, keepMs, now)) {
    // Nothing can have expired since the last look; this run's folder is the newest.
    if (last!.oldest === null) seen.write(request.task, { ...last!, oldest: versionStamp(new Date(context.record.started_at)) });
    return;
  }
  const store = new VersionStore({
    rclone: context.settings.rclone,
    remotes: destination.remotes,
    env: request.env,
    destination: endpoints(spec, destination.remotes.remote, context.localSource).destination,
    signal: context.signal,
    onSpawn: (group) => destination.update({ process_group: group }),
  });
  try {
    const stamps = await store.stamps();
    const expired = expiredStamps(stamps, keepMs, now);
    await store.remove(expired);
    if (expired.length > 0) destination.note(`--- versions: removed ${expired.length} folder${expired.length === 1 ? "" : "s"} older than ${spec.versions.keep} (${expired.join(", ")})`);
    seen.write(request.task, { oldest: stamps.find((stamp) => !expired.includes(stamp)) ?? null, listed_at: now.toISOString() });
  } catch (error) {
    if (!(error instanceof VersionStoreError)) throw error;
    destination.note(`--- warning: versions older than ${spec.versions.keep} could not be removed (the backup itself succeeded): ${context.redact(error.message)}`);
  } finally {
    destination.update({ process_group: null });
  }
}
