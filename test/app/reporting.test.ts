import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { apply } from "../../src/app/apply.js";
import { Reporting } from "../../src/app/reporting.js";
import { StateStore } from "../../src/state/store.js";
import { appWorkspace, photosConfig, type AppWorkspace } from "../helpers/app.js";

let ws: AppWorkspace;
beforeEach(() => (ws = appWorkspace()));
afterEach(() => ws.remove());

describe("reporting", () => {
  it("keeps the metrics textfile while settings.metrics asks for it, and serves nothing for a single run", async () => {
    const textfile = join(ws.dir, "cloudsync.prom");
    ws.write({ ...photosConfig(ws), settings: { state_dir: ws.stateDir, metrics: { textfile, listen: "127.0.0.1:9184" } } });
    await apply(ws, { autoApprove: true });
    const reporting = new Reporting(ws.events, { stateDir: ws.stateDir, applied: () => new StateStore(ws.stateDir).read(), env: ws.env, clock: ws.clock });
    await reporting.follow(true);
    expect(readFileSync(textfile, "utf8")).toMatch(/cloudsync_task_[a-z_]+\{[^}]*task="photos"/);
    expect(reporting.serving).toBe(false);
    await reporting.close();
  });
});
