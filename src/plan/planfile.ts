import { createHash, createHmac } from "node:crypto";
import type { DesiredConfig } from "../model/config.js";
import { canonicalJson } from "./diff.js";

export const PLAN_FILE_KIND = "cloudsync-plan";

/**
 * What `plan --out` saves. It holds no secret: the desired model is kept as a
 * keyed digest, and `apply PLANFILE` re-reads the configuration and checks it
 * against that digest and the configuration's hash.
 */
export interface SavedPlan {
  kind: typeof PLAN_FILE_KIND;
  format_version: 1;
  created_at: string;
  config_path: string;
  config_sha256: string;
  state: { lineage: string; serial: number };
  desired_digest: string;
  /** The plan as `plan --json` shows it (secrets masked), for people reading the file. */
  plan: unknown;
}

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** A digest of the desired model that reveals nothing without the state directory's key. */
export function desiredDigest(desired: DesiredConfig, key: Buffer): string {
  return createHmac("sha256", key).update(canonicalJson(desired)).digest("hex");
}

export function makeSavedPlan(input: {
  /** The plan as `plan --json` shows it. */
  shown: unknown;
  desired: DesiredConfig;
  key: Buffer;
  configPath: string;
  configText: string;
  state: { lineage: string; serial: number };
  now: Date;
}): SavedPlan {
  return {
    kind: PLAN_FILE_KIND,
    format_version: 1,
    created_at: input.now.toISOString(),
    config_path: input.configPath,
    config_sha256: sha256(input.configText),
    state: { lineage: input.state.lineage, serial: input.state.serial },
    desired_digest: desiredDigest(input.desired, input.key),
    plan: input.shown,
  };
}

/** The saved plan in `text`, or why it is not one. */
export function parseSavedPlan(text: string): SavedPlan | string {
  let value: Partial<SavedPlan>;
  try {
    value = JSON.parse(text) as Partial<SavedPlan>;
  } catch {
    return "it is not a cloudsync plan file (not JSON)";
  }
  if (value?.kind !== PLAN_FILE_KIND) return "it is not a cloudsync plan file";
  if (value.format_version !== 1) return `its format ${String(value.format_version)} is not one this cloudsync reads`;
  if (typeof value.config_path !== "string" || typeof value.config_sha256 !== "string" || typeof value.desired_digest !== "string") {
    return "it is damaged (fields missing)";
  }
  if (typeof value.state?.lineage !== "string" || !Number.isInteger(value.state?.serial)) return "it is damaged (state fields missing)";
  return value as SavedPlan;
}

/** Why a saved plan may no longer be applied, or undefined if it may. */
export function stalePlanReason(
  saved: SavedPlan,
  current: { configText: string; desired: DesiredConfig; key: Buffer; state: { lineage: string; serial: number } },
): string | undefined {
  const sameLine = saved.state.lineage === "" || saved.state.lineage === current.state.lineage;
  if (!sameLine) return "it was made against a different state (another lineage)";
  if (saved.state.serial !== current.state.serial) {
    return `the applied state has moved on since it was made (serial ${saved.state.serial} then, ${current.state.serial} now)`;
  }
  if (saved.config_sha256 !== sha256(current.configText)) return `${saved.config_path} has changed since it was made`;
  if (saved.desired_digest !== desiredDigest(current.desired, current.key)) return "a value behind ${…} in the configuration has changed since it was made";
  return undefined;
}
