import { dirname, resolve } from "node:path";
import type { Settings } from "../config/model.js";
import { StateStore } from "../state/store.js";
import type { CliContext } from "./context.js";

/** --state-dir, else $CLOUDSYNC_STATE_DIR, else settings.state_dir (beside the file), else .cloudsync beside the file. */
export function resolveStateDir(ctx: CliContext, settings: Pick<Settings, "state_dir"> | null): string {
  if (ctx.stateDirOption) return resolve(ctx.cwd, ctx.stateDirOption);
  if (ctx.env.CLOUDSYNC_STATE_DIR) return resolve(ctx.cwd, ctx.env.CLOUDSYNC_STATE_DIR);
  const beside = dirname(ctx.configPath);
  return resolve(beside, settings?.state_dir ?? ".cloudsync");
}

/** The state store; refused if others can write its directory, with a warning if they can read it. */
export function openStore(ctx: CliContext, settings: Pick<Settings, "state_dir"> | null): StateStore {
  const store = new StateStore(resolveStateDir(ctx, settings));
  const warning = store.check();
  if (warning) ctx.stderr.write(`warning: ${warning}\n`);
  return store;
}
