import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { LoadedFile, Workspace } from "../../src/app/workspace.js";
import { loadConfig } from "../../src/config/load.js";
import { EventBus } from "../../src/events/events.js";
import type { Stamped } from "../../src/model/events.js";
import type { RunRecord } from "../../src/model/run-record.js";
import { StateStore } from "../../src/state/store.js";
import type { FileWatcher } from "../../src/watch/files.js";
import { WatchService } from "../../src/watch/service.js";
import { tempDir } from "../helpers/cli.js";
import { FakeClock } from "../helpers/fake-clock.js";

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

const taskYaml = (name: string, schedule: string) => `  ${name}:\n    direction: push\n    transfer_mode: copy\n    path: /srv/${name}\n    credential: disk\n    folder: /backup/${name}\n    schedule: "${schedule}"\n`;
const fileWith = (...tasks: string[]) => `version: 1\nsettings:\n  timezone: UTC\ncredentials:\n  disk:\n    type: local\ntasks:\n${tasks.join("") || "  {}\n"}`;

/** A service on a fake clock, with the file held in memory, stand-in runs and a file watcher the test pokes. */
async function service(initial: string) {
  const dir = tempDir();
  cleanup.push(() => dir.remove());
  const clock = new FakeClock(Date.parse("2026-01-01T00:00:00.000Z"));
  const events = new EventBus(() => clock.now());
  const seen: Stamped[] = [];
  events.subscribe((e) => seen.push(e));
  let text = initial;
  let failLoads = 0;
  const load = vi.fn(async (): Promise<LoadedFile> => {
    if (failLoads > 0) {
      failLoads--;
      throw new Error("the disk went away");
    }
    return { ...(await loadConfig("cloudsync.yaml", text, { env: {}, readFile: () => "" })), text };
  });
  const runs: string[] = [];
  const runTask = vi.fn(async (_deps: unknown, task: string) => {
    runs.push(`${task}@${clock.now().toISOString()}`);
    return { task, state: "SUCCESS" } as RunRecord;
  });
  let onChange: (path: string) => void = () => undefined;
  const watcher: FileWatcher = { add: () => undefined, close: async () => undefined };
  const workspace: Workspace = { configPath: join(dir.path, "cloudsync.yaml"), configName: "cloudsync.yaml", stateDirOverride: null, env: {}, clock, events };
  const store = new StateStore(join(dir.path, ".cloudsync"));
  const svc = new WatchService({
    workspace,
    store,
    load,
    runTask: runTask as never,
    watchFiles: async (_paths, changed) => {
      onChange = changed;
      return watcher;
    },
    releaseMemory: () => undefined,
  });
  cleanup.push(() => svc.stop("test over"));
  /** Moves the fake clock and lets the reconciles it started finish. */
  const advance = async (ms: number) => {
    clock.advance(ms);
    await svc.idle();
    // Runs started by the scheduler are stand-ins that finish at once.
    await new Promise((resolve) => setImmediate(resolve));
  };
  return {
    svc,
    store,
    clock,
    seen,
    runs,
    load,
    advance,
    types: () => seen.map((e) => e.type),
    edit: (next: string) => {
      text = next;
      onChange(workspace.configPath);
    },
    poke: () => onChange(workspace.configPath),
    failNextLoads: (n: number) => (failLoads = n),
  };
}

describe("WatchService (fake clock)", () => {
  it("applies the file on start and runs tasks at their times in the zone", async () => {
    const s = await service(fileWith(taskYaml("nightly", "0 2 * * *")));
    await s.svc.start();
    expect(s.types()).toEqual(["service.started", "apply.completed", "schedule.updated"]);
    expect(s.seen[1]).toMatchObject({ reason: "start", summary: { add: 2 } });
    await s.advance(2 * 3_600_000);
    expect(s.runs).toEqual(["nightly@2026-01-01T02:00:00.000Z"]);
    await s.advance(24 * 3_600_000);
    expect(s.runs).toEqual(["nightly@2026-01-01T02:00:00.000Z", "nightly@2026-01-02T02:00:00.000Z"]);
  });

  it("is level-based: a trigger with the file unchanged applies nothing; an edit applies once, however many triggers", async () => {
    const s = await service(fileWith(taskYaml("a", "0 * * * *")));
    await s.svc.start();
    const applies = () => s.seen.filter((e) => e.type === "apply.completed").length;
    s.poke();
    s.poke();
    await s.advance(200);
    expect(applies()).toBe(1);
    s.edit(fileWith(taskYaml("a", "0 * * * *"), taskYaml("b", "30 * * * *")));
    s.poke();
    await s.advance(200);
    expect(applies()).toBe(2);
    expect(s.seen.at(-2)).toMatchObject({ type: "apply.completed", reason: "the file changed", summary: { add: 1 } });
    expect(s.store.read().tasks.b).toBeDefined();
  });

  it("a broken edit is rejected with its diagnostics and the applied configuration keeps running", async () => {
    const s = await service(fileWith(taskYaml("a", "*/10 * * * *")));
    await s.svc.start();
    s.edit(`${fileWith(taskYaml("a", "*/10 * * * *"))}  broken: [\n`);
    await s.advance(200);
    const rejected = s.seen.find((e) => e.type === "config.rejected");
    expect(rejected).toMatchObject({ file: "cloudsync.yaml", diagnostics: [expect.objectContaining({ severity: "error", line: expect.any(Number) })] });
    expect(s.svc.rejection).not.toBeNull();
    await s.advance(10 * 60_000);
    expect(s.runs).toHaveLength(1);
    // Fixing the file clears the rejection.
    s.edit(fileWith(taskYaml("a", "*/10 * * * *")));
    await s.advance(200);
    expect(s.svc.rejection).toBeNull();
  });

  it("a failed reconcile is retried with backoff, not left until the next save", async () => {
    const s = await service(fileWith(taskYaml("a", "0 * * * *")));
    await s.svc.start();
    s.failNextLoads(2);
    s.edit(fileWith(taskYaml("a", "0 * * * *"), taskYaml("b", "0 * * * *")));
    await s.advance(100);
    expect(s.seen.at(-1)).toMatchObject({ type: "notice", level: "error", message: expect.stringContaining("trying again in 1 s") });
    await s.advance(1_100);
    expect(s.seen.at(-1)).toMatchObject({ type: "notice", level: "error", message: expect.stringContaining("trying again in 2 s") });
    expect(s.store.read().tasks.b).toBeUndefined();
    await s.advance(2_100);
    expect(s.store.read().tasks.b).toBeDefined();
  });

  it("follows an apply the file watcher did not report, within seconds", async () => {
    const s = await service(fileWith(taskYaml("a", "0 * * * *")));
    await s.svc.start();
    // Another process applies; the watcher stays silent (events of files replaced by rename get lost).
    const applied = s.store.read();
    s.store.write({ ...applied, serial: applied.serial + 1, tasks: { ...applied.tasks, b: { ...applied.tasks.a!, schedule: "30 * * * *" } } });
    await s.advance(4_000);
    expect(s.seen.some((e) => e.type === "notice" && /the applied state changed: following it/.test(e.message))).toBe(false);
    await s.advance(1_200);
    expect(s.seen.some((e) => e.type === "notice" && /the applied state changed: following it/.test(e.message))).toBe(true);
    await s.advance(3_600_000);
    expect(s.runs).toContain("b@2026-01-01T00:30:00.000Z");
  });

  it("a state that vanishes is written back from memory, with an error", async () => {
    const s = await service(fileWith(taskYaml("a", "0 * * * *")));
    await s.svc.start();
    const before = s.store.read();
    rmSync(s.store.dir, { recursive: true, force: true });
    s.poke();
    await s.advance(200);
    expect(s.seen.some((e) => e.type === "notice" && e.level === "error" && /is gone/.test(e.message))).toBe(true);
    expect(s.store.read()).toEqual(before);
    expect(s.seen.some((e) => e.type === "schedule.updated" && e.unscheduled.length > 0)).toBe(false);
  });

  it("refuses to start on a file with errors when nothing is applied", async () => {
    const s = await service("version: 1\ntasks: [\n");
    await expect(s.svc.start()).rejects.toThrow(/has errors and nothing is applied yet/);
  });

  it("catches up a missed run of a catchup task once, at start", async () => {
    const s = await service(fileWith(taskYaml("y", "0 0 1 1 *").replace('    schedule: "0 0 1 1 *"\n', '    schedule: "0 0 1 1 *"\n    catchup: true\n')));
    // Applied long ago, and no service since.
    await s.svc.start();
    await s.svc.stop("restart");
    const state = s.store.read();
    s.store.write({ ...state, applied_at: "2024-06-01T00:00:00.000Z" });
    const again = new WatchService({ workspace: { configPath: "/nowhere/cloudsync.yaml", configName: "cloudsync.yaml", stateDirOverride: null, env: {}, clock: s.clock, events: new EventBus() }, store: s.store, load: s.load, runTask: (async (_d: unknown, task: string) => (s.runs.push(`catchup ${task}`), {}) as RunRecord) as never, watchFiles: async () => ({ add: () => undefined, close: async () => undefined }), releaseMemory: () => undefined });
    cleanup.push(() => again.stop("test over"));
    await again.start();
    await vi.waitFor(() => expect(s.runs).toEqual(["catchup y"]));
  });

  it("after the clock is stepped back by days, a minutely task runs within the minute again, and nothing runs twice", async () => {
    const s = await service(fileWith(taskYaml("often", "* * * * *")));
    await s.svc.start();
    // Minute by minute, so that each stand-in run has ended before the next is due.
    for (let minute = 0; minute < 2; minute++) await s.advance(60_000);
    expect(s.runs).toEqual(["often@2026-01-01T00:01:00.000Z", "often@2026-01-01T00:02:00.000Z"]);
    s.clock.step(-3 * 24 * 3_600_000);
    for (let minute = 0; minute < 2; minute++) await s.advance(60_000);
    expect(s.runs.slice(2)).toEqual(["often@2025-12-29T00:03:00.000Z", "often@2025-12-29T00:04:00.000Z"]);
    expect(new Set(s.runs).size).toBe(s.runs.length);
  });
});
