import { describe, expect, it } from "vitest";
import { EventBus } from "../../src/events/events.js";
import type { Stamped } from "../../src/model/events.js";

describe("EventBus", () => {
  it("stamps events with the injected time and delivers them to every subscriber in order", () => {
    const bus = new EventBus(() => new Date("2026-01-01T00:00:00Z"));
    const a: Stamped[] = [];
    const b: string[] = [];
    bus.subscribe((e) => a.push(e));
    const unsubscribe = bus.subscribe((e) => b.push(e.type));
    bus.emit({ type: "run.skipped", task: "t", reason: "still running" });
    unsubscribe();
    bus.emit({ type: "service.stopping", reason: "SIGTERM" });
    expect(a).toEqual([
      { type: "run.skipped", task: "t", reason: "still running", at: "2026-01-01T00:00:00.000Z" },
      { type: "service.stopping", reason: "SIGTERM", at: "2026-01-01T00:00:00.000Z" },
    ]);
    expect(b).toEqual(["run.skipped"]);
  });

  it("a subscriber that throws disturbs neither the emitter nor the others", () => {
    const bus = new EventBus();
    const seen: string[] = [];
    bus.subscribe(() => {
      throw new Error("broken subscriber");
    });
    bus.subscribe((e) => seen.push(e.type));
    expect(() => bus.emit({ type: "service.stopping", reason: "x" })).not.toThrow();
    expect(seen).toEqual(["service.stopping"]);
  });

  it("settled waits for tracked work, at most the given time", async () => {
    const bus = new EventBus();
    let finish!: () => void;
    bus.track(new Promise<void>((resolve) => (finish = resolve)));
    bus.track(Promise.reject(new Error("a failed delivery is its own business")));
    expect(await bus.settled(20)).toBe(false);
    finish();
    expect(await bus.settled(1_000)).toBe(true);
    expect(await new EventBus().settled(0)).toBe(true);
  });
});
