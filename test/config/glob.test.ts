// The filter-pattern check agrees with the rclone that runs the tasks: every
// pattern it passes, rclone loads; every one it refuses, rclone refuses.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { globProblem } from "../../src/config/glob.js";
import { tempDir, testEnv } from "../helpers/cli.js";

const dir = tempDir();
afterAll(() => dir.remove());
const empty = join(dir.path, "empty");
mkdirSync(empty);

let files = 0;

/** Whether rclone 1.60 loads the pattern as an exclude rule. */
async function rcloneAccepts(pattern: string): Promise<boolean> {
  const file = join(dir.path, `filters-${++files}`);
  writeFileSync(file, `- ${pattern}\n`);
  try {
    await promisify(execFile)("rclone", ["lsf", empty, "--filter-from", file], { env: testEnv({ RCLONE_CONFIG: "/dev/null" }) });
    return true;
  } catch (error) {
    if (/Failed to load filters/.test(String((error as { stderr?: string }).stderr))) return false;
    throw error;
  }
}

describe("filter patterns", () => {
  it.each([
    ["ab[c", /"\[" is not closed/],
    ["ab{c", /"\{" is not closed/],
    ["***", /more than two "\*"/],
    ["", /empty or blank/],
    ["   ", /empty or blank/],
    ["a]b", /"\]" has no "\["/],
    ["a}b", /"\}" has no "\{"/],
    ["{a,{b}}", /cannot be nested/],
    ["[z-a]", /rclone cannot read it/],
    ["{{x}", /"\{\{" is not closed/],
  ])("%j is refused", (pattern, reason) => {
    expect(globProblem(pattern)).toMatch(reason);
  });

  it.each(["*.tmp", "/cache/", "**/node_modules/**", "*.{jpg,png}", "[[:alpha:]]", "x[a[b]c]", "{{a{2}}}", "\\*x", "a,b", "#x", "photos/2024/*"])("%j is accepted", (pattern) => {
    expect(globProblem(pattern)).toBeUndefined();
  });

  it("agrees with rclone on the fixed cases and on random patterns", async () => {
    const fixed = ["ab[c", "ab{c", "***", "a]b", "a}b", "{a,{b}}", "[z-a]", "{{x}", "{{[}}", "*.tmp", "/cache/", "*.{jpg,png}", "x[a[b]c]", "{{a{2}}}", "[]]", "[]a]", "[^]a]", "{a,b}{{x}}", ".?\\"];
    const random = fc.sample(fc.stringMatching(/^[a*?[\]{},\\/.^-]{1,8}$/), { numRuns: 100, seed: 20261125 });
    const patterns = [...new Set([...fixed, ...random])];
    const CONCURRENCY = 4;
    for (let i = 0; i < patterns.length; i += CONCURRENCY) {
      const batch = patterns.slice(i, i + CONCURRENCY);
      const accepted = await Promise.all(batch.map(rcloneAccepts));
      batch.forEach((pattern, j) => expect(globProblem(pattern) === undefined, `pattern ${JSON.stringify(pattern)}: ${globProblem(pattern) ?? "accepted"}`).toBe(accepted[j]));
    }
  }, 60_000);
});
