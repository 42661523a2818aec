import { describe, expect, it } from "vitest";
import { parseBwlimit } from "../../src/config/bwlimit.js";

describe("parseBwlimit", () => {
  it.each(["10M", "512k", "1.5M", "10Mi", "10MiB", "512", "off", "10M:off", "1M:2M", "0"])("accepts the rate %s", (rate) => {
    expect(parseBwlimit(rate)).toEqual({ ok: true, value: rate });
  });
  it.each(["10MB", "10X", "fast", "-1M", "1M:2M:3M", ""])("rejects the rate %j", (rate) => {
    expect(parseBwlimit(rate).ok).toBe(false);
  });
  it("accepts a timetable and normalises its spacing", () => {
    expect(parseBwlimit(" 08:00,512k   12:00,10M 23:00,off ")).toEqual({ ok: true, value: "08:00,512k 12:00,10M 23:00,off" });
  });
  it("accepts weekday forms, ordered within each day", () => {
    expect(parseBwlimit("Mon-08:00,1M Mon-20:00,off Sunday-00:00,512k").ok).toBe(true);
    expect(parseBwlimit("Mon-20:00,1M Mon-08:00,off").ok).toBe(false);
    expect(parseBwlimit("Xyz-08:00,1M").ok).toBe(false);
  });
  it("requires strictly ascending times", () => {
    const result = parseBwlimit("08:00,1M 08:00,2M");
    expect(result).toEqual({ ok: false, problems: [{ message: expect.stringContaining("strictly ascending"), offset: 9 }] });
  });
  it("rejects hours and minutes out of range and one-digit hours", () => {
    for (const time of ["24:00", "12:60", "8:00"]) expect(parseBwlimit(`${time},1M`).ok).toBe(false);
  });
  it("joins the list form into rclone's syntax and locates problems by entry and field", () => {
    expect(parseBwlimit([{ time: "08:00", bandwidth: "512k" }, { time: "18:00", bandwidth: "off" }])).toEqual({ ok: true, value: "08:00,512k 18:00,off" });
    const result = parseBwlimit([{ time: "08:00", bandwidth: "512k" }, { time: "07:00", bandwidth: "fast" }]);
    expect(result.ok ? [] : result.problems.map((p) => [p.entry, p.field])).toEqual([[1, "time"], [1, "bandwidth"]]);
  });
});
