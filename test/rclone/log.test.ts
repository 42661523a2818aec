import { describe, expect, it } from "vitest";
import { errorText, formatLogEvent, isDecryptionFailure, parseLogLine } from "../../src/rclone/log.js";

describe("rclone's JSON log", () => {
  it("reads stats lines as running totals", () => {
    const event = parseLogLine(JSON.stringify({ level: "info", msg: "stats", stats: { bytes: 10, totalBytes: 100, speed: 5.5, eta: 16, transfers: 1, totalTransfers: 3, checks: 2, deletes: 1, errors: 0, elapsedTime: 1.2 }, time: "2026-01-01T10:00:00Z" }));
    expect(event).toEqual({ kind: "stats", time: "2026-01-01T10:00:00Z", stats: { bytes: 10, totalBytes: 100, speed: 5.5, eta: 16, transfers: 1, totalTransfers: 3, checks: 2, deletes: 1, errors: 0, elapsedTime: 1.2 } });
  });

  it("reads entries with their level and object; missing numbers are 0, a missing eta null", () => {
    expect(parseLogLine(JSON.stringify({ level: "error", msg: "Failed to copy", object: "a.txt", objectType: "*local.Object", time: "t" }))).toEqual({ kind: "entry", level: "error", message: "Failed to copy", object: "a.txt", objectType: "*local.Object", time: "t" });
    const stats = parseLogLine(JSON.stringify({ stats: {} }));
    expect(stats).toMatchObject({ kind: "stats", stats: { bytes: 0, eta: null } });
  });

  it("takes anything else as plain text: rclone's fatal errors bypass the JSON log", () => {
    expect(parseLogLine("Failed to create file system: bad")).toEqual({ kind: "text", line: "Failed to create file system: bad" });
    expect(parseLogLine("{not json")).toEqual({ kind: "text", line: "{not json" });
  });

  it("errorText keeps errors and plain lines, drops info, stats and blank lines", () => {
    expect(errorText(parseLogLine(JSON.stringify({ level: "error", msg: "boom", object: "x" })))).toBe("x: boom");
    expect(errorText(parseLogLine(JSON.stringify({ level: "info", msg: "Copied" })))).toBeNull();
    expect(errorText(parseLogLine("  "))).toBeNull();
    expect(errorText(parseLogLine("plain failure"))).toBe("plain failure");
  });

  it("recognises a wrong crypt password in its forms", () => {
    expect(isDecryptionFailure(parseLogLine(JSON.stringify({ level: "debug", msg: "Skipping undecryptable file name: illegal base32 data" })))).toBe(true);
    expect(isDecryptionFailure(parseLogLine(JSON.stringify({ level: "error", msg: "unexpected EOF", objectType: "*crypt.Object" })))).toBe(true);
    expect(isDecryptionFailure(parseLogLine(JSON.stringify({ level: "error", msg: "unexpected EOF", objectType: "*local.Object" })))).toBe(false);
  });

  it("formats entries for the run log, leaving out debug chatter and stats", () => {
    expect(formatLogEvent(parseLogLine(JSON.stringify({ level: "info", msg: "Copied (new)", object: "a.txt", time: "2026-01-01T10:11:12.5Z" })))).toBe("a.txt: Copied (new)");
    expect(formatLogEvent(parseLogLine(JSON.stringify({ level: "error", msg: "boom " })))).toBe("ERROR: boom");
    expect(formatLogEvent(parseLogLine(JSON.stringify({ level: "debug", msg: "noise" })))).toBeNull();
    expect(formatLogEvent(parseLogLine(JSON.stringify({ stats: {} })))).toBeNull();
  });
});

describe("a file's line read without JSON.parse", () => {
  it("reads exactly what JSON.parse reads, escapes and all", async () => {
    const fc = (await import("fast-check")).default;
    const text = fc.string({ unit: fc.constantFrom("a", "b", " ", '"', "\\", "/", "é", "\n", "\t", ":", "{", "}", ",", "ü", "😀"), maxLength: 20 });
    fc.assert(
      fc.property(fc.constantFrom("info", "debug", "error", "notice"), text, text, fc.constantFrom("*local.Object", "*crypt.Object", ""), text, (level, msg, object, objectType, time) => {
        const line = JSON.stringify({ level, msg, object, objectType, source: "operations/operations.go:566", time });
        expect(parseLogLine(line)).toEqual({ kind: "entry", level, message: msg, object: object === "" ? null : object, objectType, time });
      }),
      { numRuns: 3000 },
    );
  });
});
