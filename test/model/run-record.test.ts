import { describe, expect, it } from "vitest";
import { asSeen, DIED, lastSuccess } from "../../src/model/run-record.js";
import { runRecord } from "../helpers/specs.js";

describe("a run record", () => {
  it("asSeen shows a run whose process is gone as ABORTED without touching the record", () => {
    const running = runRecord({ id: "a", state: "RUNNING", process_group: { pgid: 5, started: null } });
    expect(asSeen(running, false)).toBe(running);
    expect(asSeen(running, true)).toMatchObject({ state: "ABORTED", error: DIED, process_group: null });
    expect(asSeen(runRecord({ id: "b" }), true).state).toBe("SUCCESS");
  });

  it("the last success is the newest real, finished, successful run (not a dry run or a check)", () => {
    const done = { finished_at: "2026-01-01T00:01:00.000Z" };
    const records = [runRecord({ ...done, id: "check", kind: "check" }), runRecord({ ...done, id: "dry", dry_run: true }), runRecord({ ...done, id: "failed", state: "FAILED" }), runRecord({ id: "unfinished" }), runRecord({ ...done, id: "good" })];
    expect(lastSuccess(records)?.id).toBe("good");
  });
});
