import { writeFileSync } from "node:fs";
import type { Diagnostic } from "../model/diagnostics.js";
import { fsReason, UserError } from "../errors.js";
import { computePlan } from "../plan/diff.js";
import type { Plan } from "../model/plan.js";
import { makeSavedPlan } from "../plan/planfile.js";
import { planJson } from "../views/plan.js";
import { loadValidFile, openStore, type Workspace } from "./workspace.js";

export interface PlanResult {
  plan: Plan;
  /** Warnings about the file. */
  diagnostics: Diagnostic[];
  /** Where the plan was saved (absolute), if asked to. */
  savedTo: string | null;
}

/** What apply would change, per credential and task, field by field; optionally saved for `apply PLANFILE`. */
export async function plan(ws: Workspace, options: { out?: string } = {}): Promise<PlanResult> {
  const { config, text, diagnostics } = await loadValidFile(ws);
  const store = openStore(ws, config.settings);
  const applied = store.read();
  const result = computePlan(config, applied);
  if (options.out) {
    const saved = makeSavedPlan({ shown: planJson(result), desired: config, key: store.planKey(), configPath: ws.configPath, configText: text, state: applied, now: ws.clock.now() });
    try {
      writeFileSync(options.out, `${JSON.stringify(saved, null, 2)}\n`, { mode: 0o600 });
    } catch (error) {
      throw new UserError(`cannot write the plan to ${options.out}: ${fsReason(error)}`);
    }
  }
  return { plan: result, diagnostics, savedTo: options.out ?? null };
}
