// Every destination of a run in turn, or up to `parallel` at once: each with
// its own outcome; the run's outcome says which did not succeed.
import { remoteOf } from "../plan/diff.js";
import { Approvals } from "../state/approvals.js";
import { stopped, type DestinationRun, type Failure, type RunContext, type Step } from "./context.js";

/** The worse outcome comes first: a failure, then a held run. */
const WORSE: Record<Failure["state"], number> = { ABORTED: 3, FAILED: 2, HELD: 1 };

/** Runs `work` for each item, at most `limit` at once, in order of the list; the results in the same order. */
async function atMost<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await work(items[i]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/** How the run's destinations went, as one outcome naming those that did not succeed. */
function together(context: RunContext, failures: readonly (Failure | null)[]): Failure | null {
  const stop = stopped(context);
  if (stop) return stop;
  const failing = context.destinations.map((d, i) => [d, failures[i]] as const).filter((pair): pair is readonly [DestinationRun, Failure] => pair[1] !== null);
  if (failing.length === 0) return null;
  const worst = failing.map(([, f]) => f.state).sort((a, b) => WORSE[b] - WORSE[a])[0]!;
  const lines = failing.map(([d, f]) => `${d.name}: ${f.state} — ${f.error}`);
  return { state: worst, error: `${failing.length} of ${context.destinations.length} destinations did not succeed\n${lines.join("\n")}` };
}

/** The destinations' states for the post-script: `name=STATE` pairs, space-separated. */
export const resultsOf = (context: RunContext) => context.destinations.map((d) => `${d.name ?? context.request.task}=${d.outcome.state}`).join(" ");

/**
 * A step that does `work` at every destination of the run. A transfer takes the approval of a held
 * run first (this run, no later one, may delete beyond max_delete). With named destinations, when some
 * succeeded, the post-script still runs (told each one's state) and the run ends as they went.
 */
export const atEveryDestination =
  (work: (context: RunContext, destination: DestinationRun) => Promise<Failure | null>, options: { transfer: boolean }): Step =>
  async (context) => {
    const { request } = context;
    if (options.transfer && !request.dryRun) {
      context.approval = new Approvals(request.stateDir).take(request.task);
      if (context.approval) {
        const { by, at, host, held_run } = context.approval;
        context.update({ approval: context.approval });
        context.note(`--- max_delete does not hold for this run: ${by} approved it on ${at} (on ${host}) after run ${held_run} was held`);
      }
    }
    const named = context.destinations.some((d) => d.name !== null);
    const failures = await atMost(context.destinations, context.spec.parallel, async (destination) => {
      if (named) {
        destination.note(`--- ${destination.spec.transfer_mode}: ${context.spec.path} → ${remoteOf(destination.spec)}${destination.spec.encryption ? " (encrypted)" : ""}`);
        destination.update({ state: "RUNNING", started_at: (request.now ?? (() => new Date()))().toISOString() });
      }
      const failure = (await work(context, destination)) ?? stopped(context);
      if (named) {
        destination.update({ state: failure?.state ?? "SUCCESS", error: failure?.error ?? null, finished_at: (request.now ?? (() => new Date()))().toISOString(), process_group: null });
        destination.note(`--- ${destination.name} ${failure?.state ?? "SUCCESS"}${failure ? `: ${failure.error.split("\n")[0]}` : ""}`);
      }
      return failure;
    });
    if (!named) return failures[0] ?? null;
    const outcome = together(context, failures);
    // Some copies were made: the post-script runs, and the run ends as the destinations went.
    if (outcome && options.transfer && outcome.state !== "ABORTED" && failures.some((f) => f === null)) {
      context.deferred = outcome;
      return null;
    }
    return outcome;
  };
