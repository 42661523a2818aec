import { UserError } from "../../errors.js";
import { requestAbort, waitUntil } from "../../runner/control.js";
import { RunStore } from "../../runner/records.js";
import { describeHolder, FileLock, holderIsDead } from "../../state/lock.js";
import { locateStore } from "../config-file.js";
import type { CliContext } from "../context.js";
import { say } from "../output.js";

/** Stops a run of TASK in progress, in whichever process runs it, and waits until it has stopped. */
export async function abortCommand(ctx: CliContext, task: string): Promise<number> {
  const runs = new RunStore((await locateStore(ctx)).store.dir);
  const lockPath = runs.lockPath(task);
  const holder = FileLock.holder(lockPath);
  const running = runs.list(task).find((r) => r.state === "RUNNING");
  if (!holder || holderIsDead(holder)) {
    const cleaned = runs.reconcile(task, () => undefined, new Date());
    if (cleaned.length > 0) {
      say(ctx, `The run ${cleaned.map((r) => r.id).join(", ")} of ${task} was left by a process that died; it is now marked ABORTED.`);
      return 0;
    }
    throw new UserError(`task "${task}" is not running`);
  }
  requestAbort(runs, task, running?.id ?? "");
  say(ctx, `Stopping ${task}${running ? ` (run ${running.id})` : ""}, run by ${describeHolder(holder)}…`);
  const stopped = await waitUntil(() => FileLock.holder(lockPath) === undefined, 30_000);
  if (!stopped) throw new UserError(`task "${task}" did not stop within 30 s`, `The process is ${holder.pid}; it may be stuck in a script.`);
  const record = running ? runs.get(task, running.id) : undefined;
  say(ctx, `Stopped${record ? `: run ${record.id} ended ${record.state}` : ""}.`);
  return 0;
}
