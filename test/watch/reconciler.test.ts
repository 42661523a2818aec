import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Reconciler, RESYNC_MS, type Trigger } from "../../src/watch/reconciler.js";
import { tempDir } from "../helpers/cli.js";
import { FakeClock } from "../helpers/fake-clock.js";

let dir: ReturnType<typeof tempDir>;
let clock: FakeClock;
let passes: Trigger[];
let failures: { reason: Trigger; retryInMs: number }[];
let failNext: number;
const flush = () => new Promise((resolve) => setImmediate(resolve));

function reconciler() {
  const files = { config: join(dir.path, "cloudsync.yaml"), state: join(dir.path, "state.json") };
  writeFileSync(files.config, "a");
  writeFileSync(files.state, "a");
  const made = new Reconciler({
    clock,
    files,
    pass: async (reason) => {
      passes.push(reason);
      if (failNext > 0) {
        failNext--;
        throw new Error("no");
      }
    },
    onFailure: (reason, _error, retryInMs) => failures.push({ reason, retryInMs }),
  });
  return { made, files };
}

beforeEach(() => {
  dir = tempDir();
  clock = new FakeClock(Date.parse("2026-12-07T00:00:00Z"));
  passes = [];
  failures = [];
  failNext = 0;
});
afterEach(() => dir.remove());

describe("the reconciler", () => {
  it("reconciles once for a burst of triggers, logged under the weightiest", async () => {
    const { made } = reconciler();
    await made.start(() => false);
    made.trigger("the applied state changed");
    made.trigger("the file changed");
    clock.advance(50);
    made.trigger("retry");
    clock.advance(100);
    await made.idle();
    expect(passes).toEqual(["start", "the file changed"]);
    await made.stop();
  });

  it("retries a failed pass after 1 s, 2 s, 4 s …, and starts from 1 s again after a success", async () => {
    const { made } = reconciler();
    failNext = 3;
    await made.start(() => false);
    for (const wait of [1_000, 2_000, 4_000]) {
      clock.advance(wait + 100);
      await made.idle();
    }
    expect(failures.map((f) => f.retryInMs)).toEqual([1_000, 2_000, 4_000]);
    expect(passes).toEqual(["start", "retry", "retry", "retry"]);
    failNext = 1;
    made.trigger("SIGHUP");
    clock.advance(100);
    await made.idle();
    expect(failures.at(-1)).toEqual({ reason: "SIGHUP", retryInMs: 1_000 });
    await made.stop();
  });

  it("throws a failure at start that it is told is fatal", async () => {
    const { made } = reconciler();
    failNext = 1;
    await expect(made.start(() => true)).rejects.toThrow("no");
  });

  it("sees a change the file watcher missed within the resync period", async () => {
    const { made, files } = reconciler();
    await made.start(() => false);
    writeFileSync(files.config, "a longer text");
    clock.advance(RESYNC_MS + 100);
    await flush();
    await made.idle();
    expect(passes).toEqual(["start", "the file changed"]);
    await made.stop();
  });

  it("does nothing once stopped", async () => {
    const { made } = reconciler();
    await made.start(() => false);
    await made.stop();
    made.trigger("SIGHUP");
    clock.advance(RESYNC_MS * 3);
    await made.idle();
    expect(passes).toEqual(["start"]);
  });
});
