import { describe, expect, it } from "vitest";
import { buildCheckInvocation, judge, matchingFiles, tally } from "../../src/rclone/check.js";
import { remoteConfig } from "../../src/rclone/command.js";
import { taskSpec } from "../helpers/specs.js";

describe("a check's report", () => {
  it("reads how many matched from rclone's log line", () => {
    expect(matchingFiles("10000 matching files")).toBe(10000);
    expect(matchingFiles("3 differences found")).toBeNull();
  });

  it("counts by side: + is only in the first place, - only in the second", () => {
    const found = { "*": 1, "+": 1, "-": 2, "!": 1 };
    expect(tally(2, found, "first")).toEqual({ matched: 2, differ: 1, missing_on_remote: 1, missing_on_local: 2, errors: 1 });
    expect(tally(2, found, "second")).toEqual({ matched: 2, differ: 1, missing_on_remote: 2, missing_on_local: 1, errors: 1 });
  });

  it("has rclone write a list per finding, and none of the files that match", () => {
    const spec = taskSpec({ folder: "/backup" });
    const args = buildCheckInvocation(spec, remoteConfig({ type: "local", options: {} }, spec), { download: false, filterFile: "/tmp/filters", reportDir: "/tmp/r" }).args.join(" ");
    expect(args).toContain("--differ /tmp/r/differ --missing-on-dst /tmp/r/missing-on-dst --missing-on-src /tmp/r/missing-on-src --error /tmp/r/error");
    expect(args).not.toMatch(/--combined|--match/);
  });

  it("judges as the transfer would: files only at a copy's destination are no error, at a sync's they are", () => {
    const remoteOnly = { matched: 5, differ: 0, missing_on_remote: 0, missing_on_local: 2, errors: 0 };
    expect(judge(remoteOnly, { direction: "push", transfer_mode: "copy" }).ok).toBe(true);
    expect(judge(remoteOnly, { direction: "push", transfer_mode: "move" }).ok).toBe(true);
    expect(judge(remoteOnly, { direction: "push", transfer_mode: "sync" }).ok).toBe(false);
    // For a pull the local side is the destination.
    expect(judge(remoteOnly, { direction: "pull", transfer_mode: "copy" }).ok).toBe(false);
    expect(judge({ ...remoteOnly, missing_on_local: 0, missing_on_remote: 3 }, { direction: "pull", transfer_mode: "copy" }).ok).toBe(true);
    expect(judge({ ...remoteOnly, missing_on_local: 0, differ: 1 }, { direction: "push", transfer_mode: "copy" })).toEqual({ ok: false, summary: "5 matched, 1 differ, 0 missing on the remote, 0 missing locally, 0 unreadable" });
  });
});

describe("a check's command line", () => {
  it("keeps to the task's bandwidth limit (a check with download reads everything), its timetable in the schedules' zone", () => {
    const spec = taskSpec({ bwlimit: "08:00,512k 18:00,off", folder: "/backup" });
    const remotes = remoteConfig({ type: "local", options: {} }, spec);
    const check = buildCheckInvocation(spec, remotes, { download: true, filterFile: "/tmp/filters", reportDir: "/tmp/r", timezone: "Europe/Berlin" });
    expect(check.args.join(" ")).toContain("--bwlimit 08:00,512k 18:00,off");
    expect(check.env).toEqual({ TZ: "Europe/Berlin" });
    const unlimited = buildCheckInvocation(taskSpec({ bwlimit: null }), remotes, { download: true, filterFile: "/tmp/filters", reportDir: "/tmp/r", timezone: "Europe/Berlin" });
    expect(unlimited.args).not.toContain("--bwlimit");
    expect(unlimited.env).toEqual({});
  });
});
