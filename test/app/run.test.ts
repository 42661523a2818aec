import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { abort } from "../../src/app/abort.js";
import { apply } from "../../src/app/apply.js";
import { history } from "../../src/app/history.js";
import { findRun, readLog } from "../../src/app/logs.js";
import { run } from "../../src/app/run.js";
import { status } from "../../src/app/status.js";
import { NotFoundError } from "../../src/errors.js";
import { appWorkspace, photosConfig, type AppWorkspace } from "../helpers/app.js";

let ws: AppWorkspace;
beforeEach(() => (ws = appWorkspace()));
afterEach(() => ws.remove());

const manual = () => ({ trigger: "manual" as const, signal: new AbortController().signal });

describe("running a task through the operations layer", () => {
  it("copies with rclone, records the run, keeps its log, and tells the stream started, progress, finished", async () => {
    ws.write(photosConfig(ws));
    await apply(ws, { autoApprove: true });
    const record = await run(ws, "photos", manual());
    expect(record).toMatchObject({ state: "SUCCESS", files: 2, bytes: 3, trigger: "manual" });
    expect(readFileSync(join(ws.dir, "backup", "b.jpg"), "utf8")).toBe("bb");
    expect(ws.seen.map((e) => e.type)).toEqual(expect.arrayContaining(["run.started", "run.finished"]));
    expect((await history(ws, { task: "photos" })).map((r) => r.id)).toEqual([record.id]);
    const log = readLog(await findRun(ws, "photos")).chunk.toString();
    expect(log).toMatch(/--- rclone copy/);
    expect((await status(ws)).tasks[0]).toMatchObject({ state: "SUCCESS", last_run: expect.objectContaining({ id: record.id }) });
  });

  it("a dry run writes nothing", async () => {
    ws.write(photosConfig(ws));
    await apply(ws, { autoApprove: true });
    expect(await run(ws, "photos", { ...manual(), dryRun: true })).toMatchObject({ state: "SUCCESS", dry_run: true });
    expect(existsSync(join(ws.dir, "backup", "a.jpg"))).toBe(false);
  });

  it("a task that is not applied, or a run that was not recorded, is a NotFoundError", async () => {
    ws.write(photosConfig(ws));
    await apply(ws, { autoApprove: true });
    await expect(run(ws, "videos", manual())).rejects.toBeInstanceOf(NotFoundError);
    await expect(findRun(ws, "photos")).rejects.toBeInstanceOf(NotFoundError);
    await expect(findRun(ws, "photos", "20261207-000000-zzzz")).rejects.toBeInstanceOf(NotFoundError);
  });

  it("a run's end keeps log_retention runs, removes the others' logs, and gzips logs of runs that ended over ten minutes ago", async () => {
    const config = photosConfig(ws);
    ws.write({ ...config, settings: { ...config.settings, log_retention: 2 } });
    await apply(ws, { autoApprove: true });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push((await run(ws, "photos", manual())).id);
      ws.clock.advance(11 * 60_000);
    }
    expect((await history(ws, { task: "photos" })).map((r) => r.id)).toEqual([ids[2], ids[1]]);
    const logs = join(ws.stateDir, "runs", "photos");
    expect([existsSync(join(logs, `${ids[0]}.log`)), existsSync(join(logs, `${ids[0]}.log.gz`))]).toEqual([false, false]);
    expect([existsSync(join(logs, `${ids[1]}.log`)), existsSync(join(logs, `${ids[1]}.log.gz`))]).toEqual([false, true]);
    expect(existsSync(join(logs, `${ids[2]}.log`))).toBe(true);
  });

  it("abort with nothing running says so", async () => {
    ws.write(photosConfig(ws));
    await apply(ws, { autoApprove: true });
    await expect(abort(ws, "photos")).rejects.toThrow(/not running/);
  });
});
