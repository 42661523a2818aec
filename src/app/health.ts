import { computePlan } from "../plan/diff.js";
import type { FileHealth } from "../model/results.js";
import type { AppliedState } from "../model/applied-state.js";
import { sha256 } from "../plan/planfile.js";
import { loadFile, readConfigText, type Workspace } from "./workspace.js";


/** The configuration file against what is applied: as the service's health shows it. */
export async function fileHealth(ws: Workspace, applied: AppliedState): Promise<FileHealth> {
  // The file byte for byte as applied is not loaded again (a changed ${VAR} aside, which the service follows anyway).
  const read = readConfigText(ws);
  if ("text" in read && sha256(read.text) === applied.config_sha256) return { state: "applied", diagnostics: [], plan: null };
  const loaded = await loadFile(ws);
  if (!loaded.config) return { state: "rejected", diagnostics: loaded.diagnostics, plan: null };
  const plan = computePlan(loaded.config, applied);
  return plan.changes.length === 0 ? { state: "applied", diagnostics: loaded.diagnostics, plan: null } : { state: "differs", diagnostics: loaded.diagnostics, plan };
}
