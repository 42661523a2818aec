import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { RunRecord } from "../../src/model/run-record.js";
import { newRunId, RunRecords } from "../../src/state/run-records.js";
import { tempDir } from "../helpers/cli.js";
import { runRecord } from "../helpers/specs.js";

const cleanup: (() => void)[] = [];
afterEach(() => cleanup.splice(0).forEach((fn) => fn()));

function store() {
  const dir = tempDir();
  cleanup.push(dir.remove);
  return new RunRecords(dir.path);
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

  it("prune keeps the newest finished runs and checks, and any running one; it says which it let go", () => {
    const runs = store();
    for (let i = 1; i <= 5; i++) runs.save(record(i));
    runs.save(record(6, { state: "RUNNING" }));
    runs.save(record(7, { kind: "check" }));
    expect(runs.prune("t", 2).map((r) => r.seq)).toEqual([3, 2, 1]);
    expect(runs.list("t").map((r) => r.seq)).toEqual([7, 6, 5, 4]);
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

  it("ids sort by time to the millisecond", () => {
    expect(newRunId(new Date("2026-11-24T16:41:00.123Z"))).toMatch(/^20261124T164100\.123Z-[0-9a-f]{4}$/);
  });
});
