import { rmSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { apply } from "../../src/app/apply.js";
import { loadFile, openStore } from "../../src/app/workspace.js";
import { initialView, missedRuns, reconcilePass, ServiceLock, tellOverdue, type ServiceDeps } from "../../src/app/service.js";
import { ServiceDisplacedError, UserError } from "../../src/errors.js";
import { appWorkspace, photosConfig, type AppWorkspace } from "../helpers/app.js";

let ws: AppWorkspace;
let deps: ServiceDeps;
let locks: ServiceLock[];
beforeEach(async () => {
  ws = appWorkspace();
  ws.write(photosConfig(ws));
  const store = openStore(ws, (await loadFile(ws)).config!.settings);
  store.ensureDir();
  deps = { workspace: ws, store, load: () => loadFile(ws) };
  locks = [];
});
afterEach(() => {
  for (const lock of locks) lock.release();
  ws.remove();
});

const lock = async () => {
  const taken = new ServiceLock(deps, () => undefined);
  await taken.take();
  locks.push(taken);
  return taken;
};

describe("the service's reconcile pass", () => {
  it("applies the file, then leaves an unchanged file alone", async () => {
    const held = await lock();
    const first = await reconcilePass(deps, held, initialView(deps.store), "start");
    expect(first).toMatchObject({ changed: true, view: { rejection: null, applied: { serial: 1 } } });
    const again = await reconcilePass(deps, held, first.view, "the file changed");
    expect(again).toMatchObject({ changed: false, view: { applied: { serial: 1 } } });
    expect(ws.seen.filter((e) => e.type === "apply.completed")).toHaveLength(1);
  });

  it("keeps what is applied when the file breaks, and says why on the stream", async () => {
    const held = await lock();
    const { view } = await reconcilePass(deps, held, initialView(deps.store), "start");
    ws.write(photosConfig(ws, { schedule: "61 * * * *" }));
    const broken = await reconcilePass(deps, held, view, "the file changed");
    expect(broken.view.applied.serial).toBe(1);
    expect(broken.view.rejection).toContainEqual(expect.objectContaining({ severity: "error" }));
    expect(ws.seen.map((e) => e.type)).toContain("config.rejected");
  });

  it("writes a vanished applied state back from memory", async () => {
    const held = await lock();
    const { view } = await reconcilePass(deps, held, initialView(deps.store), "start");
    rmSync(deps.store.statePath);
    const after = await reconcilePass(deps, held, view, "the applied state changed");
    expect(after).toMatchObject({ stateRewritten: true, view: { applied: { serial: 1 } } });
    expect(deps.store.read().serial).toBe(1);
  });
});

describe("the service's lock", () => {
  it("is one per state directory", async () => {
    await lock();
    await expect(new ServiceLock(deps, () => undefined).take()).rejects.toThrow(/another cloudsync watch already serves/);
  });

  it("taken again when removed; lost to another service, it says this one must stop", async () => {
    const first = await lock();
    rmSync(`${deps.store.dir}/watch.lock`);
    await first.hold();
    expect(ws.seen.at(-1)).toMatchObject({ type: "notice", message: expect.stringMatching(/was removed while it ran; it is taken again/) });
    rmSync(`${deps.store.dir}/watch.lock`);
    // Another service (here: this process a second later, so that its lock reads differently) takes it.
    ws.clock.advance(1_000);
    await lock();
    const displaced = first.hold();
    await expect(displaced).rejects.toBeInstanceOf(ServiceDisplacedError);
    await expect(displaced).rejects.toBeInstanceOf(UserError);
  });
});

describe("the service's decisions", () => {
  it("tells an overdue task once per episode", async () => {
    ws.write(photosConfig(ws, { max_age: "1h" }));
    await apply(ws, { autoApprove: true });
    const applied = deps.store.read();
    const since = ws.clock.now();
    ws.clock.advance(2 * 3_600_000);
    tellOverdue(deps, applied, since);
    tellOverdue(deps, applied, since);
    expect(ws.seen.filter((e) => e.type === "task.overdue")).toEqual([expect.objectContaining({ task: "photos", max_age: "1h" })]);
  });

  it("finds the runs a stopped service missed, for tasks that catch up only", async () => {
    ws.write(photosConfig(ws, { catchup: true, schedule: "0 * * * *" }));
    await apply(ws, { autoApprove: true });
    ws.clock.advance(3 * 3_600_000);
    expect(missedRuns(deps, deps.store.read())).toEqual([{ task: "photos", missed: new Date("2026-12-07T13:00:00Z") }]);
    ws.write(photosConfig(ws, { catchup: false, schedule: "0 * * * *" }));
    await apply(ws, { autoApprove: true });
    expect(missedRuns(deps, deps.store.read())).toEqual([]);
  });
});
