import { appendFileSync, existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { asSeen, DIED, newRunId, RunStore, type RunRecord } from "../../src/runner/records.js";
import { tempDir } from "../helpers/cli.js";
import { runRecord } from "../helpers/specs.js";

const cleanup: (() => void)[] = [];
afterEach(() => cleanup.splice(0).forEach((fn) => fn()));

function store() {
  const dir = tempDir();
  cleanup.push(dir.remove);
  return new RunStore(dir.path);
}

const record = (seq: number, overrides: Partial<RunRecord> = {}): RunRecord =>
  runRecord({ id: `id-${seq}`, seq, started_at: new Date(Date.UTC(2026, 0, 1, 0, seq)).toISOString(), ...overrides });

describe("run records", () => {
  it("list newest first by sequence number, whatever the clock said (a clock stepped back)", () => {
    const runs = store();
    runs.save(record(1, { id: "20261201T000000.000Z-aaaa" }));
    runs.save(record(2, { id: "20201201T000000.000Z-bbbb" }));
    expect(runs.list("t").map((r) => r.id)).toEqual(["20201201T000000.000Z-bbbb", "20261201T000000.000Z-aaaa"]);
    expect(runs.nextSeq("t")).toBe(3);
  });

  it("prune keeps the newest finished runs and any running one, with their logs", () => {
    const runs = store();
    for (let i = 1; i <= 5; i++) {
      runs.save(record(i));
      writeFileSync(runs.logPath("t", `id-${i}`), "log");
    }
    runs.save(record(6, { state: "RUNNING" }));
    runs.prune("t", 2);
    expect(runs.list("t").map((r) => r.seq)).toEqual([6, 5, 4]);
  });

  it("skip damaged records rather than failing every listing; older records read as runs", () => {
    const runs = store();
    runs.save(record(1));
    writeFileSync(join(runs.taskDir("t"), "broken.json"), "{");
    const { kind: _kind, ...old } = record(2);
    writeFileSync(join(runs.taskDir("t"), `${old.id}.json`), JSON.stringify(old));
    // JSON that is no run record of this task: another shape, a time that is none, another task's or file's.
    writeFileSync(join(runs.taskDir("t"), "foreign.json"), JSON.stringify({ a: 1 }));
    const bad = record(3, { started_at: "yesterday" });
    writeFileSync(join(runs.taskDir("t"), `${bad.id}.json`), JSON.stringify(bad));
    const other = record(4, { task: "u" });
    writeFileSync(join(runs.taskDir("t"), `${other.id}.json`), JSON.stringify(other));
    writeFileSync(join(runs.taskDir("t"), "renamed.json"), JSON.stringify(record(5)));
    expect(runs.list("t").map((r) => [r.seq, r.kind])).toEqual([
      [2, "run"],
      [1, "run"],
    ]);
    expect(runs.tasks()).toEqual(["t"]);
  });

  it("a name no task can have names no file", () => {
    const runs = store();
    runs.save(record(1));
    mkdirSync(join(runs.stateDir, "runs", "lost+found"));
    expect(runs.tasks()).toEqual(["t"]);
    for (const name of ["../x", "a/b", "", ".", "Upper"]) {
      expect(() => runs.list(name), name).toThrow(/no task can be named/);
      expect(() => runs.lockPath(name), name).toThrow(/no task can be named/);
    }
  });

  it("asSeen shows a run whose process is gone as ABORTED without touching the record", () => {
    const running = record(1, { state: "RUNNING", process_group: { pgid: 5, started: null } });
    expect(asSeen(running, false)).toBe(running);
    expect(asSeen(running, true)).toMatchObject({ state: "ABORTED", error: DIED, process_group: null });
    expect(asSeen(record(2), true).state).toBe("SUCCESS");
  });

  it("ids sort by time to the millisecond", () => {
    expect(newRunId(new Date("2026-11-24T16:41:00.123Z"))).toMatch(/^20261124T164100\.123Z-[0-9a-f]{4}$/);
  });
});

describe("finished logs, compressed", () => {
  it("a log finished a while ago is gzipped, reads the same (also a line added later), and goes with its record", async () => {
    const runs = store();
    const now = new Date("2026-06-01T12:00:00Z");
    const old = record(1, { finished_at: "2026-06-01T11:00:00Z" });
    const fresh = record(2, { finished_at: "2026-06-01T11:58:00Z" });
    for (const r of [old, fresh]) {
      runs.save(r);
      writeFileSync(runs.logPath("t", r.id), `${"2026-06-01T11:00:00.000Z d/f.bin: Copied (new)\n".repeat(2000)}--- run ${r.id} SUCCESS\n`);
    }
    const before = runs.readLogText("t", old.id).toString();
    runs.prune("t", 5, now);
    expect(existsSync(runs.logPath("t", old.id))).toBe(false);
    expect(statSync(runs.compressedLogPath("t", old.id)).size).toBeLessThan(before.length / 20);
    expect(runs.readLogText("t", old.id).toString()).toBe(before);
    // A fresh one stays plain: a notification may still add its line.
    expect(existsSync(runs.logPath("t", fresh.id))).toBe(true);
    const { readLog } = await import("../../src/app/logs.js");
    expect(readLog({ runs, record: old }).chunk.toString()).toBe(before);
    expect(readLog({ runs, record: old }, 10).chunk.toString()).toBe(before.slice(10));
    // A line added after compression (appended plainly) is read after the compressed part, and folded in next time.
    appendFileSync(runs.logPath("t", old.id), "--- notified\n");
    expect(runs.readLogText("t", old.id).toString()).toBe(`${before}--- notified\n`);
    runs.prune("t", 5, now);
    expect(existsSync(runs.logPath("t", old.id))).toBe(false);
    expect(runs.readLogText("t", old.id).toString()).toBe(`${before}--- notified\n`);
    runs.prune("t", 1, now);
    expect(existsSync(runs.compressedLogPath("t", old.id))).toBe(false);
  });
});
