import { join } from "node:path";
import { UserError } from "../errors.js";
import { RunRecords } from "../state/run-records.js";
import { ENTRY_NAME } from "../model/config.js";
import { removeLock, type LockState } from "../state/lock.js";
import { locateStore, type Workspace } from "./workspace.js";

export interface UnlockResult {
  lock: string;
  path: string;
  /** What was removed; null if there was no lock. */
  removed: LockState | null;
}

/** `unlock state|watch|TASK`: removes a lock whose holder is gone; refuses one whose holder runs on this machine. */
export async function unlock(ws: Workspace, name: string): Promise<UnlockResult> {
  const { store } = await locateStore(ws);
  let path: string;
  if (name === "state") path = join(store.dir, "state.lock");
  else if (name === "watch") path = join(store.dir, "watch.lock");
  else if (ENTRY_NAME.test(name)) path = new RunRecords(store.dir).lockPath(name);
  else throw new UserError(`"${name}" is not a lock: give state, watch or a task's name`);
  return { lock: name, path, removed: removeLock(path) ?? null };
}
