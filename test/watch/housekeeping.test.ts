import { describe, expect, it } from "vitest";
import { Every, MemoryRelease } from "../../src/watch/housekeeping.js";
import { FakeClock } from "../helpers/fake-clock.js";

describe("the service's chores", () => {
  it("Every runs now if asked, then every period, until stopped", () => {
    const clock = new FakeClock(0);
    let calls = 0;
    const every = new Every(clock, 60_000, () => calls++).start(true);
    expect(calls).toBe(1);
    clock.advance(3 * 60_000);
    expect(calls).toBe(4);
    every.stop();
    clock.advance(10 * 60_000);
    expect(calls).toBe(4);
  });

  it("gives memory back once a reconcile has settled, and again after a quiet while; a new reconcile starts the wait again", () => {
    const clock = new FakeClock(0);
    const at: number[] = [];
    const release = new MemoryRelease(clock, () => at.push(clock.monotonic()));
    release.later();
    clock.advance(500);
    release.later();
    clock.advance(20_000);
    expect(at).toEqual([1_500, 11_500]);
    release.later();
    release.stop();
    clock.advance(20_000);
    expect(at).toHaveLength(2);
  });
});
