import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { apply } from "../../src/app/apply.js";
import { FleetMembership } from "../../src/app/fleet.js";
import { StateStore } from "../../src/state/store.js";
import type { RunRecord } from "../../src/model/run-record.js";
import { appWorkspace, photosConfig, type AppWorkspace } from "../helpers/app.js";
import { until } from "../helpers/wait.js";

let ws: AppWorkspace;
let calls: string;
beforeEach(async () => {
  ws = appWorkspace();
  // rclone as it is, with every call noted.
  calls = join(ws.dir, "rclone-calls");
  const rclone = join(ws.dir, "rclone");
  writeFileSync(rclone, `#!/bin/sh\necho "$1" >> ${calls}\nexec rclone "$@"\n`);
  chmodSync(rclone, 0o755);
  const config = photosConfig(ws);
  ws.write({ ...config, settings: { ...config.settings, rclone, fleet: { publish: { credential: "disk", folder: ws.folder("fleet") }, key: "a-fleet-key-of-the-test", host: "here" } } });
  await apply(ws, { autoApprove: true });
});
afterEach(() => ws.remove());

const publications = () => (existsSync(calls) ? readFileSync(calls, "utf8").split("\n").filter((c) => c === "moveto").length : 0);

describe("the service's membership of a fleet", () => {
  it("publishes at once, then at most once per gap however many runs end; a file that tells the last of them", async () => {
    const membership = new FleetMembership({ workspace: ws, stateDir: ws.stateDir, applied: () => new StateStore(ws.stateDir).read(), clock: ws.clock });
    await membership.follow();
    await until(() => publications() === 1, "the first publication");
    const finished = { task: "photos", kind: "run", state: "SUCCESS" } as RunRecord;
    for (let i = 0; i < 50; i++) ws.events.emit({ type: "run.finished", record: finished, previous: null });
    // Twice: a publication that follows the one in progress is only tracked once it starts.
    await ws.events.settled(10_000);
    await ws.events.settled(10_000);
    expect(publications()).toBe(1);
    // The gap passes: one more, for all fifty.
    ws.clock.advance(10_000);
    await until(() => publications() === 2, "the publication after the gap");
    await ws.events.settled(10_000);
    expect(publications()).toBe(2);
    expect(JSON.parse(readFileSync(join(ws.dir, "fleet", "here.json"), "utf8")).report).toMatchObject({ host: "here", tasks: [{ name: "photos" }] });
    await membership.close();
  });
});
