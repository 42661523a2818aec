import { describe, expect, it } from "vitest";
import { envFileText } from "../../src/import/env-file.js";

/** An env file read as kubectl and docker read it: leading blanks and comments skipped, the value everything after the first "=". */
function readAsDocker(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const raw of text.split("\n")) {
    const line = raw.trimStart();
    if (line === "" || line.startsWith("#")) continue;
    const at = line.indexOf("=");
    values[line.slice(0, at)] = line.slice(at + 1);
  }
  return values;
}

describe("the env file of an import", () => {
  const values = { HOOK: '"https://hooks.example.com/T0k3n"', PASS: "it's $HOME \\ `x`", SPACED: "  both ends  " };

  it("docker: every value exactly as docker --env-file and kubectl --from-env-file read it, placeholders empty", () => {
    const text = envFileText(values, ["MISSING"], "docker");
    expect(readAsDocker(text)).toEqual({ ...values, MISSING: "" });
  });

  it("docker: a value with a line break or a carriage return is refused, naming it", () => {
    expect(() => envFileText({ KEY: "-----BEGIN-----\nabc" }, [], "docker")).toThrow(/the value of KEY holds a line break/);
    expect(() => envFileText({ KEY: "abc\r" }, [], "docker")).toThrow(/KEY/);
  });

  it("shell: single-quoted, so that set -a; . FILE reads it back (tested with a real shell in test/cli/import)", () => {
    expect(envFileText({ PASS: "it's" }, ["MISSING"], "shell")).toContain("PASS='it'\\''s'\nMISSING=''  # TrueNAS did not give it: fill it in\n");
  });
});
