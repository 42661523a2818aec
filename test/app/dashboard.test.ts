import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { apply } from "../../src/app/apply.js";
import { appliedTask, dashboardStatus, openDashboard, serviceHealth, taskDetail, type DashboardHost } from "../../src/app/dashboard.js";
import { NotFoundError } from "../../src/errors.js";
import { dashboardAccess } from "../../src/state/dashboard-access.js";
import { StateStore } from "../../src/state/store.js";
import { appWorkspace, photosConfig, type AppWorkspace } from "../helpers/app.js";

let ws: AppWorkspace;
let host: Omit<DashboardHost, "generatedToken">;
beforeEach(async () => {
  ws = appWorkspace();
  ws.write(photosConfig(ws));
  await apply(ws, { autoApprove: true });
  const store = new StateStore(ws.stateDir);
  host = {
    workspace: ws,
    stateDir: ws.stateDir,
    applied: () => store.read(),
    rejection: () => null,
    runNow: () => Promise.reject(new Error("not here")),
    checkNow: () => Promise.reject(new Error("not here")),
    service: { pid: process.pid, since: ws.clock.now().toISOString() },
    fleet: () => null,
  };
});
afterEach(() => ws.remove());

describe("the dashboard's reads", () => {
  it("status is what `status` reports, with whether the page may act", async () => {
    const { report, readOnly } = await dashboardStatus({ ...host, generatedToken: "" });
    expect(readOnly).toBe(false);
    expect(report.tasks.map((t) => t.name)).toEqual(["photos"]);
  });

  it("health says whether the file is applied, differs (with the plan), or is rejected (with diagnostics)", async () => {
    const full = { ...host, generatedToken: "" };
    expect((await serviceHealth(full)).config.state).toBe("applied");
    ws.write(photosConfig(ws, { schedule: "0 4 * * *" }));
    const differs = await serviceHealth(full);
    expect(differs.config).toMatchObject({ state: "differs", plan: { changes: [expect.objectContaining({ address: "task.photos", action: "update" })] } });
    ws.write(photosConfig(ws, { schedule: "0 99 * * *" }));
    expect((await serviceHealth(full)).config).toMatchObject({ state: "rejected", diagnostics: [expect.objectContaining({ severity: "error" })] });
  });

  it("a task's page: its settings, where the file defines it, its runs; an unknown task is a NotFoundError", () => {
    const full = { ...host, generatedToken: "" };
    expect(taskDetail(full, "photos")).toMatchObject({ name: "photos", spec: { schedule: "0 3 * * *" }, credential: { name: "disk" }, definedAt: { file: "cloudsync.yaml", line: expect.any(Number) }, runs: [] });
    expect(() => taskDetail(full, "videos")).toThrow(NotFoundError);
    expect(() => appliedTask(full, "videos")).toThrow(/task "videos" is not applied/);
  });

  it("opening the page generates its token and records its address until it is closed", async () => {
    let given: DashboardHost | undefined;
    const served = await openDashboard(
      async (address, full) => {
        given = full;
        return { address, url: "http://127.0.0.1:9", close: async () => undefined };
      },
      "127.0.0.1:9",
      host,
    );
    expect(given!.generatedToken).toMatch(/^[\w-]{43}$/);
    expect(dashboardAccess(ws.stateDir)).toMatchObject({ address: { url: "http://127.0.0.1:9", pid: process.pid }, token: given!.generatedToken });
    await served.close();
    expect(dashboardAccess(ws.stateDir).address).toBeNull();
  });
});
