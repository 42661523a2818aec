import { appendFileSync, existsSync, statSync, writeFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import type { RunRecord } from "../../src/model/run-record.js";
import { RunLogs } from "../../src/state/run-logs.js";
import { RunRecords } from "../../src/state/run-records.js";
import { tempDir } from "../helpers/cli.js";
import { runRecord } from "../helpers/specs.js";

const cleanup: (() => void)[] = [];
afterEach(() => cleanup.splice(0).forEach((fn) => fn()));

const record = (seq: number, overrides: Partial<RunRecord> = {}): RunRecord => runRecord({ id: `id-${seq}`, seq, ...overrides });

describe("run logs", () => {
  it("a log finished a while ago is gzipped, reads the same (also a line added later, and from an offset), and can go", () => {
    const dir = tempDir();
    cleanup.push(dir.remove);
    const records = new RunRecords(dir.path);
    const logs = new RunLogs(dir.path);
    const now = new Date("2026-06-01T12:00:00Z");
    const old = record(1, { finished_at: "2026-06-01T11:00:00Z" });
    const fresh = record(2, { finished_at: "2026-06-01T11:58:00Z" });
    for (const r of [old, fresh]) {
      records.save(r);
      writeFileSync(logs.path("t", r.id), `${"2026-06-01T11:00:00.000Z d/f.bin: Copied (new)\n".repeat(2000)}--- run ${r.id} SUCCESS\n`);
    }
    const before = logs.read("t", old.id).toString();
    logs.compressFinished(records.list("t"), now);
    expect(existsSync(logs.path("t", old.id))).toBe(false);
    expect(statSync(logs.compressedPath("t", old.id)).size).toBeLessThan(before.length / 20);
    expect(logs.read("t", old.id).toString()).toBe(before);
    // A fresh one stays plain: a notification may still add its line.
    expect(existsSync(logs.path("t", fresh.id))).toBe(true);
    expect(logs.readFrom("t", old.id, 0).chunk.toString()).toBe(before);
    expect(logs.readFrom("t", old.id, 10).chunk.toString()).toBe(before.slice(10));
    // A line added after compression (appended plainly) is read after the compressed part, and folded in next time.
    appendFileSync(logs.path("t", old.id), "--- notified\n");
    expect(logs.read("t", old.id).toString()).toBe(`${before}--- notified\n`);
    logs.compressFinished(records.list("t"), now);
    expect(existsSync(logs.path("t", old.id))).toBe(false);
    expect(logs.read("t", old.id).toString()).toBe(`${before}--- notified\n`);
    logs.remove("t", old.id);
    expect(existsSync(logs.compressedPath("t", old.id))).toBe(false);
  });
});
