import { describe, expect, it } from "vitest";
import { LoginThrottle, Sessions, type SessionKeeping } from "../../src/web/auth.js";

const HOUR = 3_600_000;

/** Sessions kept in memory as the state directory would keep them. */
function keeping(): SessionKeeping & { saved: Record<string, number>; saves: number } {
  const store = {
    saved: {} as Record<string, number>,
    saves: 0,
    load: () => ({ ...store.saved }),
    save: (sessions: Record<string, number>) => {
      store.saved = { ...sessions };
      store.saves++;
    },
  };
  return store;
}

describe("dashboard sessions", () => {
  it("outlive the process that made them: kept as digests, never as the ids a browser holds", () => {
    const now = 1_000_000;
    const kept = keeping();
    const first = new Sessions(() => now, kept);
    const id = first.create();
    expect(JSON.stringify(kept.saved)).not.toContain(id);
    const restarted = new Sessions(() => now, kept);
    expect(restarted.valid(id)).toBe(true);
    expect(restarted.valid("some-other-id")).toBe(false);
    // Logging out is kept too.
    restarted.revoke(id);
    expect(new Sessions(() => now, kept).valid(id)).toBe(false);
  });

  it("end after twelve idle hours; using one moves that on, written down at most hourly", () => {
    let now = 0;
    const kept = keeping();
    const sessions = new Sessions(() => now, kept);
    const id = sessions.create();
    const saves = kept.saves;
    now += 10 * 60_000;
    expect(sessions.valid(id)).toBe(true);
    expect(kept.saves).toBe(saves);
    now += 11 * HOUR;
    expect(sessions.valid(id)).toBe(true);
    expect(kept.saves).toBe(saves + 1);
    // Still alive after a restart 11 hours on: its use was written down.
    now += 11 * HOUR;
    expect(new Sessions(() => now, kept).valid(id)).toBe(true);
    now += 13 * HOUR;
    expect(sessions.valid(id)).toBe(false);
    expect(new Sessions(() => now, kept).valid(id)).toBe(false);
  });

  it("all end at once when the token changes", () => {
    const kept = keeping();
    const sessions = new Sessions(() => 0, kept);
    const ids = [sessions.create(), sessions.create()];
    sessions.revokeAll();
    for (const id of ids) expect(new Sessions(() => 0, kept).valid(id)).toBe(false);
  });
});

describe("failed logins", () => {
  it("are free five times, then wait a second, doubling", () => {
    let now = 0;
    const throttle = new LoginThrottle(() => now);
    for (let i = 0; i < 4; i++) throttle.failed("a");
    expect(throttle.wait("a")).toBe(0);
    throttle.failed("a");
    expect(throttle.wait("a")).toBe(1_000);
    now += 1_000;
    throttle.failed("a");
    expect(throttle.wait("a")).toBe(2_000);
    throttle.succeeded("a");
    expect(throttle.wait("a")).toBe(0);
  });
});
