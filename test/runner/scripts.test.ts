import { describe, expect, it } from "vitest";
import { runScript, scriptText } from "../../src/runner/scripts.js";

const request = (lines: string[], outputLimit?: number) => ({
  env: { PATH: process.env.PATH },
  onLine: (line: string) => lines.push(line),
  signal: new AbortController().signal,
  graceMs: 1000,
  outputLimit,
});

describe("scripts", () => {
  it("run with the interpreter of a #! line that follows blank lines", () => {
    expect(scriptText("\n\n#!/bin/bash\necho hi\n")).toBe("#!/bin/bash\necho hi\n");
    expect(scriptText("\necho hi\n")).toBe("\necho hi\n");
  });

  it("keep at most the limit of a script's output in the log, read the rest, and say how much was left out", async () => {
    const lines: string[] = [];
    const result = await runScript("seq 1 5000; echo done >&2; exit 3", request(lines, 1000));
    // The script ran to its end: its exit code is its own, not a broken pipe's.
    expect(result).toEqual({ code: 3, signal: null });
    const kept = lines.slice(0, -1);
    expect(kept.join("\n").length).toBeLessThanOrEqual(1000 + 10);
    expect(kept[0]).toBe("1");
    expect(lines.at(-1)).toMatch(/^… \d+ more lines of output were not kept: a run's log keeps the first \d+ MiB of each script's output$/);
    expect(Number(/(\d+) more lines/.exec(lines.at(-1)!)![1]) + kept.length).toBe(5001);
  });

  it("keeps all of a script's output under the limit, with no note", async () => {
    const lines: string[] = [];
    await runScript("echo one; echo two", request(lines));
    expect(lines).toEqual(["one", "two"]);
  });
});
