import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { apply } from "../../src/app/apply.js";
import { plan } from "../../src/app/plan.js";
import { status } from "../../src/app/status.js";
import { validate } from "../../src/app/validate.js";
import { ConfigError } from "../../src/errors.js";
import { appWorkspace, photosConfig, type AppWorkspace } from "../helpers/app.js";

let ws: AppWorkspace;
beforeEach(() => (ws = appWorkspace()));
afterEach(() => ws.remove());

describe("validate, plan, apply", () => {
  it("validate reports a broken file's diagnostics with their places, and changes nothing", async () => {
    ws.write("version: 1\ntasks:\n  t:\n    direction: sideways\n");
    const result = await validate(ws);
    expect(result.valid).toBe(false);
    expect(result.diagnostics).toContainEqual(expect.objectContaining({ severity: "error", line: 4 }));
    expect(ws.seen).toEqual([]);
  });

  it("plan shows what apply will do; apply does it, emits apply.completed, and a second plan is empty", async () => {
    ws.write(photosConfig(ws));
    const first = await plan(ws);
    expect(first.plan.changes.map((c) => `${c.action} ${c.address}`)).toEqual(["create credential.disk", "create task.photos"]);
    const applied = await apply(ws, { autoApprove: true });
    expect(applied).toMatchObject({ applied: true, serial: 1 });
    expect(ws.seen.map((e) => e.type)).toContain("apply.completed");
    expect((await plan(ws)).plan.changes).toEqual([]);
    expect((await status(ws)).tasks).toEqual([expect.objectContaining({ name: "photos", state: "PENDING", next_run: "2026-12-08T03:00:00.000Z" })]);
  });

  it("apply refuses a file with errors as a ConfigError, and the applied state stays as it was", async () => {
    ws.write(photosConfig(ws));
    await apply(ws, { autoApprove: true });
    ws.write(photosConfig(ws, { schedule: "61 * * * *" }));
    await expect(apply(ws, { autoApprove: true })).rejects.toBeInstanceOf(ConfigError);
    expect((await status(ws)).serial).toBe(1);
  });

  it("apply without a review or --auto-approve refuses", async () => {
    ws.write(photosConfig(ws));
    await expect(apply(ws, {})).rejects.toThrow(/refusing to apply without a terminal/);
  });
});
