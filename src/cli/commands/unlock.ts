import { unlock } from "../../app/unlock.js";
import { describeHolder } from "../../model/lock.js";
import type { CliContext } from "../context.js";
import { printJson, say } from "../output.js";

/** `unlock state|watch|TASK`: removes a lock whose holder is gone, after saying whose it was. */
export async function unlockCommand(ctx: CliContext, name: string): Promise<number> {
  const { lock, path, removed } = await unlock(ctx.workspace, name);
  if (ctx.json) printJson(ctx, { lock, path, removed: removed !== null, holder: removed?.holder ?? null, stale: removed?.stale ?? null });
  else if (!removed) say(ctx, `There is no ${name} lock (${path}); nothing to do.`);
  else {
    const whose = removed.holder ? `held by ${describeHolder(removed.holder)}` : "whose holder cannot be read";
    say(ctx, `Removed the ${name} lock, ${whose}${removed.stale ? ` (${removed.stale})` : ""}.`);
    if (!removed.stale) ctx.stderr.write(`warning: its holder on ${removed.holder?.host ?? "another host"} refreshed it within the last minute; if that process still runs, two now may.\n`);
  }
  return 0;
}
