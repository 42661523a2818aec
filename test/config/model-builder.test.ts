import { describe, expect, it } from "vitest";
import { buildModel } from "../../src/config/model-builder.js";
import { BUNDLED_BACKENDS } from "../../src/model/backends.js";
import { DEFAULT_SETTINGS, DEFAULT_TRANSFERS } from "../../src/model/config.js";

const task = (fields: Record<string, unknown>) => ({ tasks: { t: { direction: "push", path: "/data", credential: "c", folder: "/backup", ...fields } }, credentials: { c: { type: "sftp", host: "h" } } });

describe("the model builder", () => {
  it("reads fields of the wrong type as their defaults, and reports nothing (the schema and the rules do)", () => {
    const { config } = buildModel({ settings: { state_dir: 7, max_parallel_runs: "many", web: { read_only: "yes" } }, ...task({ transfers: [], enabled: "no", exclude: [1, "*.tmp"] }) }, BUNDLED_BACKENDS);
    expect(config.settings.state_dir).toBe(DEFAULT_SETTINGS.state_dir);
    expect(config.settings.max_parallel_runs).toBe(DEFAULT_SETTINGS.max_parallel_runs);
    expect(config.settings.web.read_only).toBe(false);
    expect(config.tasks.t).toMatchObject({ transfers: DEFAULT_TRANSFERS, enabled: true, exclude: ["*.tmp"] });
  });

  it("leaves an unreadable schedule or timetable out of the model and keeps what was wrong with it", () => {
    const { config, readings } = buildModel(task({ schedule: "61 * * * *", bwlimit: "25:00,1M", check: { schedule: "daily" } }), BUNDLED_BACKENDS);
    expect(config.tasks.t).toMatchObject({ schedule: null, bwlimit: null, check: { schedule: "0 0 * * *", download: false } });
    expect(readings.t!.schedule).toMatchObject({ ok: false });
    expect(readings.t!.bwlimit).toMatchObject({ ok: false });
    expect(readings.t!.checkSchedule).toMatchObject({ ok: true });
  });

  it("cleans an absolute path, keeps one it cannot trust as written, and normalises a folder by the backend", () => {
    expect(buildModel(task({ path: "/data/./x//" }), BUNDLED_BACKENDS).config.tasks.t!.path).toBe("/data/x");
    expect(buildModel(task({ path: "relative" }), BUNDLED_BACKENDS).config.tasks.t!.path).toBe("relative");
    const bucket = buildModel({ tasks: { t: { path: "/d", credential: "s", bucket: "b", folder: "//a//b/" } }, credentials: { s: { type: "s3" } } }, BUNDLED_BACKENDS);
    expect(bucket.config.tasks.t!.folder).toBe("a/b");
  });

  it("builds channels of known types only, each event once", () => {
    const { config } = buildModel({ notifications: { a: { type: "webhook", url: "https://x", events: ["failure", "failure", "success"] }, b: { type: "pager" }, c: { type: "toString" } } }, BUNDLED_BACKENDS);
    expect(Object.keys(config.notifications)).toEqual(["a"]);
    expect(config.notifications.a!.events).toEqual(["failure", "success"]);
  });
});
