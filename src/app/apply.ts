import type { Diagnostic } from "../model/diagnostics.js";
import { hasErrors } from "../model/diagnostics.js";
import { loadConfig } from "../config/load.js";
import type { DesiredConfig } from "../model/config.js";
import { ConfigError, fsReason, UserError } from "../errors.js";
import type { EventBus } from "../events/events.js";
import { canonicalJson, computePlan } from "../plan/diff.js";
import type { Plan } from "../model/plan.js";
import { parseSavedPlan, sha256, stalePlanReason } from "../plan/planfile.js";
import { type LockOptions } from "../state/lock.js";
import { describeHolder, describeTakeover, type LockHolder } from "../model/lock.js";
import type { AppliedState } from "../model/applied-state.js";
import type { StateStore } from "../state/store.js";
import { environmentOf, loadValidFile, openStore, readFileAtMost, type Workspace } from "./workspace.js";

export interface ApplyResult {
  plan: Plan;
  /** The serial of the applied state afterwards. */
  serial: number;
  /** Whether anything was written. */
  applied: boolean;
  /** The review said no. */
  cancelled: boolean;
  diagnostics: Diagnostic[];
}

/**
 * Makes the applied state the desired one, under the state lock: re-reads the
 * state, lets `check` refuse (a stale plan, a state that moved on), and writes
 * a new serial only when something changes. Emits apply.completed (with no changes too).
 */
export async function commitDesired(
  deps: { store: StateStore; events: EventBus; now: () => Date },
  desired: DesiredConfig,
  configText: string,
  lockOptions: LockOptions,
  reason: string,
  check: (current: AppliedState) => string | undefined = () => undefined,
): Promise<{ plan: Plan; state: AppliedState }> {
  const { store } = deps;
  const lock = await store.lock(lockOptions);
  let result: { plan: Plan; state: AppliedState };
  try {
    const current = store.read();
    const refusal = check(current);
    if (refusal) throw new UserError(refusal, "Nothing was changed. Run cloudsync plan (or apply) again.");
    const plan = computePlan(desired, current);
    if (plan.changes.length > 0) {
      store.write({
        ...current,
        serial: current.serial + 1,
        applied_at: deps.now().toISOString(),
        config_sha256: sha256(configText),
        settings: desired.settings,
        credentials: desired.credentials,
        notifications: desired.notifications,
        tasks: desired.tasks,
      });
    }
    result = { plan, state: plan.changes.length > 0 ? store.read() : current };
  } finally {
    lock.release();
  }
  // Told whether or not anything changed: the file was accepted (metrics count reloads).
  deps.events.emit({
    type: "apply.completed",
    reason,
    serial: result.state.serial,
    summary: result.plan.summary,
    changes: result.plan.changes.map((c) => ({ address: c.address, action: c.action })),
  });
  return result;
}

/** A saved plan: where it is, and its name as the user wrote it (for messages). */
export interface SavedPlanFile {
  path: string;
  name: string;
}

export interface ApplyOptions {
  /** Apply exactly this saved plan, refusing it if the state moved on since. */
  planFile?: SavedPlanFile;
  /** Apply without asking; `review` is still shown the plan. */
  autoApprove?: boolean;
  /** Shown the plan before it is applied; returns whether to go ahead. Without it (and without autoApprove) apply refuses. */
  review?: (plan: Plan) => Promise<boolean>;
  /** How long to wait for another apply (default 10 s). */
  lockTimeoutMs?: number;
}

/** The lock options of an apply: wait, saying so, and take over a dead holder's lock, saying so. */
function lockOptions(ws: Workspace, timeoutMs: number): LockOptions {
  return {
    command: "apply",
    waitMs: timeoutMs,
    now: () => ws.clock.now(),
    onWait: (holder: LockHolder) => ws.events.emit({ type: "notice", level: "info", message: `Waiting for the state lock held by ${describeHolder(holder)}…` }),
    onTakeover: (holder, reason) => ws.events.emit({ type: "notice", level: "warning", message: `Took over the state lock left by ${describeTakeover(holder, reason)}.` }),
  };
}

const deps = (ws: Workspace, store: StateStore) => ({ store, events: ws.events, now: () => ws.clock.now() });

async function applySavedPlan(ws: Workspace, { path, name: planFile }: SavedPlanFile, timeoutMs: number): Promise<ApplyResult> {
  let bytes: Buffer | null;
  try {
    bytes = readFileAtMost(path);
  } catch (error) {
    throw new UserError(`cannot read the plan file ${planFile}: ${fsReason(error)}`);
  }
  if (bytes === null) throw new UserError(`cannot apply ${planFile}: it is not a cloudsync plan file (larger than 64 MiB)`);
  const saved = parseSavedPlan(bytes.toString("utf8"));
  if (typeof saved === "string") throw new UserError(`cannot apply ${planFile}: ${saved}`);
  let configBytes: Buffer | null;
  try {
    configBytes = readFileAtMost(saved.config_path);
  } catch (error) {
    throw new UserError(`cannot read ${saved.config_path}, which the plan was made from: ${fsReason(error)}`);
  }
  if (configBytes === null) throw new UserError(`cannot apply ${planFile}: ${saved.config_path}, which it names as its configuration, is larger than 64 MiB`);
  const configText = configBytes.toString("utf8");
  const loaded = await loadConfig(saved.config_path, configText, environmentOf(ws));
  if (!loaded.config || hasErrors(loaded.diagnostics)) throw new ConfigError(saved.config_path, loaded.diagnostics, `cannot apply ${planFile}: the file is no longer valid; nothing was changed`);
  const desired = loaded.config;
  const store = openStore({ ...ws, configPath: saved.config_path }, desired.settings);
  const key = store.planKey();
  const { plan, state } = await commitDesired(deps(ws, store), desired, configText, lockOptions(ws, timeoutMs), `apply ${planFile}`, (current) => {
    const reason = stalePlanReason(saved, { configText, desired, key, state: current });
    return reason ? `the saved plan ${planFile} is stale: ${reason}` : undefined;
  });
  return { plan, serial: state.serial, applied: plan.changes.length > 0, cancelled: false, diagnostics: loaded.diagnostics };
}

/** Applies the file (or exactly a saved plan) to the state. */
export async function apply(ws: Workspace, options: ApplyOptions): Promise<ApplyResult> {
  const timeoutMs = options.lockTimeoutMs ?? 10_000;
  if (options.planFile !== undefined) return applySavedPlan(ws, options.planFile, timeoutMs);

  const { config, text, diagnostics } = await loadValidFile(ws);
  const store = openStore(ws, config.settings);
  const current = store.read();
  const shown = computePlan(config, current);
  if (shown.changes.length === 0) {
    await store.tidy(lockOptions(ws, 0));
    return { plan: shown, serial: current.serial, applied: false, cancelled: false, diagnostics };
  }
  if (!options.review && !options.autoApprove) {
    throw new UserError("refusing to apply without a terminal to confirm on", "Review the plan with cloudsync plan, then run cloudsync apply --auto-approve.");
  }
  const approved = options.review ? await options.review(shown) : true;
  if (!approved) return { plan: shown, serial: current.serial, applied: false, cancelled: true, diagnostics };

  const { plan, state } = await commitDesired(deps(ws, store), config, text, lockOptions(ws, timeoutMs), "apply", (now) => {
    // What was approved must be what happens: another apply may have got in first.
    if (options.autoApprove) return undefined;
    return canonicalJson(computePlan(config, now)) === canonicalJson(shown) ? undefined : "the applied state changed while you were deciding";
  });
  return { plan, serial: state.serial, applied: plan.changes.length > 0, cancelled: false, diagnostics };
}
