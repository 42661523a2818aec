import { describe, expect, it } from "vitest";
import { judgeCheck, judgeTransfer, type TransferSeen } from "../../src/rclone/outcome.js";

const seen = (over: Partial<TransferSeen>): TransferSeen => ({
  code: 0,
  signal: null,
  errorLines: [],
  maxDelete: null,
  dryRun: false,
  deletingAt: "remote:bucket/folder",
  encrypted: false,
  undecryptable: 0,
  progressed: true,
  userArgs: [],
  redact: (text) => text.replaceAll("hunter2", "***"),
  ...over,
});

describe("judging a transfer", () => {
  it.each([
    ["exit 0", {}, { kind: "succeeded", warning: null }],
    ["exit 5: retried", { code: 5, errorLines: ["ERROR : rate limited"] }, { kind: "failed", retryable: true, reason: expect.stringMatching(/temporary error[\s\S]*rate limited/) }],
    ["exit 7: not retried", { code: 7 }, { kind: "failed", retryable: false, reason: expect.stringMatching(/fatal/) }],
    ["killed", { code: null, signal: "SIGKILL" as const }, { kind: "failed", retryable: false, reason: expect.stringMatching(/SIGKILL/) }],
    ["a typo in rclone_args", { code: 1, errorLines: ["Error: unknown flag: --tranfers"], userArgs: ["--tranfers=4"] }, { kind: "failed", reason: expect.stringMatching(/does not know --tranfers, given in rclone_args/) }],
    ["an rclone too old for a flag of ours", { code: 1, errorLines: ["Error: unknown flag: --fast-list"] }, { kind: "failed", reason: expect.stringMatching(/needs rclone 1\.53/) }],
    ["the deletion limit", { code: 7, maxDelete: 3, errorLines: ["ERROR : --max-delete threshold reached"] }, { kind: "deletion-limit", maxDelete: 3, reason: expect.stringMatching(/more than 3 files at remote:bucket\/folder; it stopped after deleting 3/) }],
    ["the deletion limit in a dry run", { code: 7, maxDelete: 1, dryRun: true, errorLines: ["--max-delete threshold reached"] }, { kind: "deletion-limit", reason: expect.stringMatching(/more than 1 file at .*nothing was deleted \(dry run\)/) }],
    ["nothing decrypted: a wrong password, not retried", { encrypted: true, undecryptable: 4, progressed: false }, { kind: "failed", retryable: false, reason: expect.stringMatching(/4 names or files could not be decrypted/) }],
    ["some names not decrypted: a warning", { encrypted: true, undecryptable: 1 }, { kind: "succeeded", warning: expect.stringMatching(/1 name or file could not be decrypted/) }],
  ] as const)("%s", (_name, over, verdict) => {
    expect(judgeTransfer(seen(over as Partial<TransferSeen>))).toMatchObject(verdict);
  });

  it("quotes the last five error lines, secrets hidden", () => {
    const lines = Array.from({ length: 8 }, (_, i) => `ERROR ${i} : password hunter2`);
    const verdict = judgeTransfer(seen({ code: 2, errorLines: lines }));
    expect(verdict.kind === "failed" && verdict.reason.split("\n").slice(1)).toEqual(lines.slice(3).map((l) => l.replace("hunter2", "***")));
  });
});

describe("judging a check", () => {
  const counts = { matched: 10, differ: 0, missing_on_remote: 0, missing_on_local: 0, errors: 0 };
  const task = { direction: "push" as const, transfer_mode: "sync" as const, path: "/data" };
  const check = (over: object) => judgeCheck({ code: 0, signal: null, errorLines: [], redact: (t) => t, counts, ...over }, task);

  it("passes when everything matched", () => expect(check({})).toEqual({ ok: true }));
  it("fails with what differs", () => expect(check({ code: 1, counts: { ...counts, differ: 2 } })).toEqual({ ok: false, reason: expect.stringMatching(/does not hold what \/data holds: 10 matched, 2 differ/) }));
  it("says it could not be made when rclone failed finding nothing", () => expect(check({ code: 1, errorLines: ["directory not found"] })).toEqual({ ok: false, reason: expect.stringMatching(/could not be made[\s\S]*directory not found/) }));
  it("extra files at the destination fail a sync's check, not a copy's", () => {
    expect(check({ code: 1, counts: { ...counts, missing_on_local: 1 } })).toMatchObject({ ok: false });
    expect(judgeCheck({ code: 1, signal: null, errorLines: [], redact: (t) => t, counts: { ...counts, missing_on_local: 1 } }, { ...task, transfer_mode: "copy" })).toEqual({ ok: true });
  });
});
