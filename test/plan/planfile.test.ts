import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS, type DesiredConfig } from "../../src/model/config.js";
import { computePlan } from "../../src/plan/diff.js";
import { planJson } from "../../src/views/plan.js";
import { desiredDigest, makeSavedPlan, parseSavedPlan, sha256, stalePlanReason } from "../../src/plan/planfile.js";
import { emptyState } from "../../src/model/applied-state.js";

const desired: DesiredConfig = { settings: DEFAULT_SETTINGS, credentials: { s3: { type: "s3", options: { secret_access_key: "very-secret-value" } } }, notifications: {}, tasks: {} };
const key = Buffer.alloc(32, 7);
const state = { ...emptyState(), lineage: "line-1", serial: 3 };
const saved = () => makeSavedPlan({ shown: planJson(computePlan(desired, state)), desired, key, configPath: "/etc/cloudsync.yaml", configText: "text", state, now: new Date("2026-01-01T00:00:00Z") });

describe("saved plans", () => {
  it("hold no secret: the desired model only as a keyed digest", () => {
    const text = JSON.stringify(saved());
    expect(text).not.toContain("very-secret-value");
    expect(saved().desired_digest).toBe(desiredDigest(desired, key));
    expect(desiredDigest(desired, Buffer.alloc(32, 8))).not.toBe(saved().desired_digest);
  });

  it("round-trip through parse, and broken files say why", () => {
    expect(parseSavedPlan(JSON.stringify(saved()))).toEqual(saved());
    expect(parseSavedPlan("{")).toMatch(/not JSON/);
    expect(parseSavedPlan("{}")).toMatch(/not a cloudsync plan file/);
    expect(parseSavedPlan(JSON.stringify({ ...saved(), format_version: 9 }))).toMatch(/format 9/);
    expect(parseSavedPlan(JSON.stringify({ ...saved(), config_sha256: undefined }))).toMatch(/damaged/);
  });

  it("are stale when the state, the file or a value behind ${…} moved on", () => {
    const current = { configText: "text", desired, key, state };
    expect(stalePlanReason(saved(), current)).toBeUndefined();
    expect(stalePlanReason(saved(), { ...current, state: { ...state, lineage: "other" } })).toMatch(/another lineage/);
    expect(stalePlanReason(saved(), { ...current, state: { ...state, serial: 4 } })).toMatch(/serial 3 then, 4 now/);
    expect(stalePlanReason(saved(), { ...current, configText: "edited" })).toMatch(/has changed since/);
    const otherSecret = { ...desired, credentials: { s3: { type: "s3", options: { secret_access_key: "rotated" } } } };
    expect(stalePlanReason(saved(), { ...current, desired: otherSecret })).toMatch(/value behind/);
    expect(sha256("text")).toHaveLength(64);
  });
});
