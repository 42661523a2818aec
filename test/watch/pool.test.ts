import { describe, expect, it } from "vitest";
import { RunPool } from "../../src/watch/pool.js";

function controllablePool(max: number) {
  const started: string[] = [];
  const finish = new Map<string, () => void>();
  const aborted: string[] = [];
  const pool = new RunPool(max, (task, signal) => {
    started.push(task);
    signal.addEventListener("abort", () => {
      aborted.push(task);
      finish.get(task)?.();
    });
    return new Promise<void>((resolve) => finish.set(task, resolve));
  });
  const done = async (task: string) => {
    finish.get(task)!();
    await new Promise((r) => setImmediate(r));
  };
  return { pool, started, aborted, done };
}

describe("RunPool", () => {
  it("runs at most max at once; the rest wait in order; nothing runs twice", async () => {
    const { pool, started, done } = controllablePool(2);
    expect(["a", "b", "c", "d"].map((t) => pool.enqueue(t))).toEqual(["started", "started", "queued", "queued"]);
    expect(pool.enqueue("a")).toBe("skipped");
    expect(pool.enqueue("c")).toBe("skipped");
    expect(started).toEqual(["a", "b"]);
    await done("b");
    expect(started).toEqual(["a", "b", "c"]);
    await done("a");
    expect(started).toEqual(["a", "b", "c", "d"]);
    expect(pool.enqueue("a")).toBe("queued"); // c and d hold both slots
    await done("c");
    expect(started).toEqual(["a", "b", "c", "d", "a"]);
  });

  it("aborts a running task, drops a queued one, and stopAll ends everything", async () => {
    const { pool, started, aborted } = controllablePool(1);
    pool.enqueue("a");
    pool.enqueue("b");
    pool.abort("b");
    pool.abort("a");
    await new Promise((r) => setImmediate(r));
    expect(aborted).toEqual(["a"]);
    expect(started).toEqual(["a"]);
    pool.enqueue("c");
    await pool.stopAll();
    expect(aborted).toEqual(["a", "c"]);
  });
});

describe("RunPool groups", () => {
  it("a run and a check of one task never overlap: the second is skipped while the first runs or waits", () => {
    const started: string[] = [];
    const pool = new RunPool(2, async (key) => void started.push(key), (key) => key.replace(/^check:/, ""));
    expect(pool.enqueue("photos")).toBe("started");
    expect(pool.enqueue("check:photos")).toBe("skipped");
    expect(pool.enqueue("check:docs")).toBe("started");
    expect(pool.runningTasks().sort()).toEqual(["docs", "photos"]);
    expect(started).toEqual(["photos", "check:docs"]);
  });
});
