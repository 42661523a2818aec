import { describe, expect, it } from "vitest";
import { interpolate } from "../../src/config/interpolate.js";

const environment = {
  env: { HOME: "/home/me", EMPTY: "", PORT: "2222" },
  readFile: (path: string) => {
    if (path === "/secrets/key") return "s3cret\n";
    throw new Error("no such file");
  },
};

function run(raw: string) {
  const problems: { message: string; offset: number }[] = [];
  const result = interpolate(raw, environment, (message, offset) => problems.push({ message, offset }));
  return { ...result, problems };
}

describe("interpolate", () => {
  it("leaves text without references alone, including a lone $", () => {
    expect(run("costs $5 {not a ref}").value).toBe("costs $5 {not a ref}");
  });
  it("resolves ${NAME}", () => expect(run("${HOME}/x").value).toBe("/home/me/x"));
  it("uses the default of ${NAME:-default} when unset or empty, like the shell", () => {
    expect(run("${NOPE:-fallback}").value).toBe("fallback");
    expect(run("${EMPTY:-fallback}").value).toBe("fallback");
    expect(run("${PORT:-22}").value).toBe("2222");
    expect(run("${NOPE:-}").value).toBe("");
  });
  it("reads ${file:/path} without the trailing newline and lists the file", () => {
    const result = run("${file:/secrets/key}");
    expect(result.value).toBe("s3cret");
    expect(result.files).toEqual(["/secrets/key"]);
  });
  it("turns $${ into a literal ${ and does not resolve it", () => {
    const result = run("$${HOME} and ${HOME}");
    expect(result.value).toBe("${HOME} and /home/me");
    expect(result.wholeReference).toBe(false);
  });
  it("says whether the string was exactly one reference", () => {
    expect(run("${PORT}").wholeReference).toBe(true);
    expect(run("x${PORT}").wholeReference).toBe(false);
    expect(run("${PORT}${PORT}").wholeReference).toBe(false);
  });
  it("reports unset variables at the reference's offset", () => {
    const result = run("a-${UNSET_ONE}");
    expect(result.problems).toEqual([{ message: expect.stringContaining("UNSET_ONE is not set"), offset: 2 }]);
  });
  it("reports every bad reference in one string", () => {
    const result = run("${A_UNSET} ${1bad} ${file:rel} ${file:/missing} ${open");
    expect(result.problems.map((p) => p.offset)).toEqual([0, 11, 19, 31, 48]);
  });
});
