import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunOptions } from "../../src/app/run.js";
import type { ServiceDeps } from "../../src/app/service.js";
import { loadFile, openStore } from "../../src/app/workspace.js";
import { emptyState, type AppliedState } from "../../src/model/applied-state.js";
import type { RunRecord } from "../../src/model/run-record.js";
import { ServiceRuns } from "../../src/watch/runs.js";
import { appWorkspace, photosConfig, type AppWorkspace } from "../helpers/app.js";

let ws: AppWorkspace;
let deps: ServiceDeps;
let applied: AppliedState;
/** The runs the stand-in started, each ended by the test. */
let started: { task: string; kind: RunOptions["kind"]; trigger: string; end: () => void; signal: AbortSignal }[];
let runs: ServiceRuns;

beforeEach(async () => {
  ws = appWorkspace("2026-12-07T02:59:00Z");
  ws.write(photosConfig(ws));
  deps = { workspace: ws, store: openStore(ws, (await loadFile(ws)).config!.settings), load: () => loadFile(ws) };
  started = [];
  const spec = { ...(await loadFile(ws)).config!.tasks.photos!, check: { schedule: "30 3 * * *", download: false } };
  applied = { ...emptyState(), serial: 1, settings: { ...(await loadFile(ws)).config!.settings, max_parallel_runs: 1 }, tasks: { photos: spec, videos: { ...spec, path: ws.folder("videos") } } };
  const runTask = (_d: unknown, task: string, options: RunOptions) =>
    new Promise<RunRecord>((resolve) => {
      const record = { task, kind: options.kind ?? "run", state: "RUNNING" } as RunRecord;
      const end = () => resolve({ ...record, state: options.signal.aborted ? "ABORTED" : "SUCCESS" });
      options.signal.addEventListener("abort", end);
      started.push({ task, kind: options.kind, trigger: options.trigger, end, signal: options.signal });
      ws.events.emit({ type: "run.started", record });
    });
  runs = new ServiceRuns(deps, () => applied, runTask as never);
  runs.follow(applied);
});
afterEach(async () => {
  await runs.stop();
  ws.remove();
});

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe("the service's runs", () => {
  it("runs each task at its time, at most max_parallel_runs at once, the rest queued", async () => {
    ws.clock.advance(60_000);
    await flush();
    expect(started.map((s) => `${s.task} ${s.trigger}`)).toEqual(["photos schedule"]);
    expect(runs.queued()).toBe(1);
    expect(ws.seen.filter((e) => e.type === "run.queued")).toHaveLength(1);
    started[0]!.end();
    await flush();
    await flush();
    expect(started.map((s) => s.task)).toEqual(["photos", "videos"]);
  });

  it("a task's check waits while its run goes on, and is skipped when due again meanwhile", async () => {
    applied = { ...applied, settings: { ...applied.settings!, max_parallel_runs: 4 } };
    runs.follow(applied);
    ws.clock.advance(60_000);
    await flush();
    expect(started.map((s) => `${s.task} ${s.kind ?? "run"}`)).toEqual(["photos run", "videos run"]);
    ws.clock.advance(30 * 60_000);
    await flush();
    expect(started).toHaveLength(2);
    runs.due("photos");
    expect(ws.seen.filter((e) => e.type === "run.skipped").map((e) => "task" in e && e.task)).toContain("photos");
  });

  it("starts a run from the page at once, resolving when it has started; stops it when the task is disabled", async () => {
    const record = await runs.startNow("photos", { kind: "run", dryRun: true });
    expect(record).toMatchObject({ task: "photos", state: "RUNNING" });
    expect(runs.running()).toEqual(new Set(["photos"]));
    runs.follow({ ...applied, tasks: { ...applied.tasks, photos: { ...applied.tasks.photos!, enabled: false } } });
    expect(started[0]!.signal.aborted).toBe(true);
    expect(ws.seen.at(-1)).toMatchObject({ type: "notice", message: "photos was disabled while running: aborting its run" });
    ws.clock.advance(60_000);
    await flush();
    expect(started.filter((s) => s.task === "photos")).toHaveLength(1);
  });

  it("a disabled task run by hand keeps running when the file is applied again; it stops once deleted", async () => {
    applied = { ...applied, tasks: { ...applied.tasks, photos: { ...applied.tasks.photos!, enabled: false } } };
    runs.follow(applied);
    await runs.startNow("photos", { kind: "run" });
    runs.follow({ ...applied, serial: 2 });
    expect(started[0]!.signal.aborted).toBe(false);
    expect(runs.running()).toEqual(new Set(["photos"]));
    const { photos: _gone, ...rest } = applied.tasks;
    runs.follow({ ...applied, serial: 3, tasks: rest });
    expect(started[0]!.signal.aborted).toBe(true);
    expect(ws.seen.at(-1)).toMatchObject({ type: "notice", message: "photos was deleted while running: aborting its run" });
  });

  it("stopping aborts every run and waits for them", async () => {
    ws.clock.advance(60_000);
    await flush();
    await runs.startNow("videos", { kind: "run" });
    await runs.stop();
    expect(started.every((s) => s.signal.aborted)).toBe(true);
    await expect(runs.startNow("videos", { kind: "run" })).rejects.toThrow(/stopping/);
  });
});
