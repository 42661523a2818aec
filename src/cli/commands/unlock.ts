import { join } from "node:path";
import { UserError } from "../../errors.js";
import { RunStore } from "../../runner/records.js";
import { describeHolder, removeLock } from "../../state/lock.js";
import { locateStore } from "../config-file.js";
import type { CliContext } from "../context.js";
import { printJson, say } from "../output.js";

const TASK_NAME = /^[a-z0-9][a-z0-9_-]*$/;

/** `unlock state|watch|TASK`: removes a lock whose holder is gone, after saying whose it was. */
export async function unlockCommand(ctx: CliContext, name: string): Promise<number> {
  const { store } = await locateStore(ctx);
  let path: string;
  if (name === "state") path = join(store.dir, "state.lock");
  else if (name === "watch") path = join(store.dir, "watch.lock");
  else if (TASK_NAME.test(name)) path = new RunStore(store.dir).lockPath(name);
  else throw new UserError(`"${name}" is not a lock: give state, watch or a task's name`);
  const removed = removeLock(path);
  if (ctx.json) printJson(ctx, { lock: name, path, removed: removed !== undefined, holder: removed?.holder ?? null, stale: removed?.stale ?? null });
  else if (!removed) say(ctx, `There is no ${name} lock (${path}); nothing to do.`);
  else {
    const whose = removed.holder ? `held by ${describeHolder(removed.holder)}` : "whose holder cannot be read";
    say(ctx, `Removed the ${name} lock, ${whose}${removed.stale ? ` (${removed.stale})` : ""}.`);
    if (!removed.stale) ctx.stderr.write(`warning: its holder on ${removed.holder?.host ?? "another host"} refreshed it within the last minute; if that process still runs, two now may.\n`);
  }
  return 0;
}
