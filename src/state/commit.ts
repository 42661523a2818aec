import type { DesiredConfig } from "../config/model.js";
import { UserError } from "../errors.js";
import { computePlan, type Plan } from "../plan/diff.js";
import { sha256 } from "../plan/planfile.js";
import type { LockOptions } from "./lock.js";
import type { AppliedState } from "./model.js";
import type { StateStore } from "./store.js";

/**
 * Makes the applied state the desired one, under the state lock: re-reads the
 * state, lets `check` refuse (a stale plan, a state that moved on), and writes
 * a new serial only when something changes. Returns what changed.
 */
export async function commitDesired(
  store: StateStore,
  desired: DesiredConfig,
  configText: string,
  lockOptions: LockOptions,
  check: (current: AppliedState) => string | undefined = () => undefined,
): Promise<{ plan: Plan; state: AppliedState }> {
  const lock = await store.lock(lockOptions);
  try {
    const current = store.read();
    const refusal = check(current);
    if (refusal) throw new UserError(refusal, "Nothing was changed. Run cloudsync plan (or apply) again.");
    const plan = computePlan(desired, current);
    if (plan.changes.length === 0) return { plan, state: current };
    const state: AppliedState = {
      ...current,
      serial: current.serial + 1,
      applied_at: new Date().toISOString(),
      config_sha256: sha256(configText),
      settings: desired.settings,
      credentials: desired.credentials,
      tasks: desired.tasks,
    };
    store.write(state);
    return { plan, state: store.read() };
  } finally {
    lock.release();
  }
}
