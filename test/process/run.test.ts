import { describe, expect, it } from "vitest";
import { followFile, runCaptured, runProcess } from "../../src/process/run.js";
import { until } from "../helpers/wait.js";

const sh = (script: string) => ({ command: "/bin/sh", args: ["-c", script], env: process.env, graceMs: 1_000 });

describe("runProcess", () => {
  it("hands on lines as readline splits them: \\n, \\r\\n and a lone \\r", async () => {
    const lines: string[] = [];
    await runProcess({ ...sh("printf 'one\\ntwo\\r\\nthree\\rfour\\nlast'"), onStdout: (line) => lines.push(line) });
    expect(lines).toEqual(["one", "two", "three", "four", "last"]);
  });

  it("captures an answer whole, however long its lines (a JSON document on one line)", async () => {
    const result = await runCaptured(sh("head -c 200000 /dev/zero | tr '\\0' x; echo"));
    expect(result.stdout).toBe("x".repeat(200_000));
  });

  it("hands on a line without end in pieces, so a program that never writes a newline does not fill memory", async () => {
    const pieces: number[] = [];
    const outcome = await runProcess({ ...sh("head -c 1000000 /dev/zero | tr '\\0' x"), onStdout: (line) => pieces.push(line.length) });
    expect(outcome.code).toBe(0);
    expect(Math.max(...pieces)).toBe(64 * 1024);
    expect(pieces.reduce((a, b) => a + b, 0)).toBe(1_000_000);
  });

  it("keeps a character whose bytes arrive in two pieces whole", async () => {
    const lines: string[] = [];
    await runProcess({ ...sh("printf '\\303'; sleep 0.1; printf '\\251\\n'"), onStdout: (line) => lines.push(line) });
    expect(lines).toEqual(["é"]);
  });
});

describe("followFile", () => {
  it("hands on the lines added to a file, whatever pieces they come in; stop reads the rest and the last unfinished line", async () => {
    const { appendFileSync, mkdtempSync, rmSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const dir = mkdtempSync(join(tmpdir(), "cloudsync-follow-"));
    try {
      const path = join(dir, "log");
      const lines: string[] = [];
      const followed = followFile(path, (line) => lines.push(line));
      appendFileSync(path, "one\ntw");
      await until(() => lines.length > 0, "the first line is read");
      expect(lines).toEqual(["one"]);
      appendFileSync(path, "o\r");
      appendFileSync(path, "\nthree €\nlast without an end");
      followed.stop();
      expect(lines).toEqual(["one", "two", "three €", "last without an end"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
