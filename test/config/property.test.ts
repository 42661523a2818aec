// Whatever the input, loading ends in diagnostics (or a model), never an exception,
// and every diagnostic points inside the file.
import { readdirSync, readFileSync } from "node:fs";
import fc from "fast-check";
import { stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";

const environment = { env: { S3_KEY: "k" }, readFile: () => "file contents" };
const examples = readdirSync(new URL("../../examples/", import.meta.url))
  .filter((f) => f.endsWith(".yaml"))
  .map((f) => readFileSync(new URL(`../../examples/${f}`, import.meta.url), "utf8"));

async function checkOutcome(text: string) {
  const result = await loadConfig("fuzz.yaml", text, environment);
  // The quick path may only ever agree with the exact one.
  expect(await loadConfig("fuzz.yaml", text, environment, { quick: false })).toEqual(result);
  const lines = text.split("\n").length + 1;
  for (const d of result.diagnostics) {
    expect(d.line).toBeGreaterThanOrEqual(1);
    expect(d.line).toBeLessThanOrEqual(lines);
    expect(d.column).toBeGreaterThanOrEqual(1);
    expect(d.message.length).toBeGreaterThan(0);
  }
  if (result.config === null) expect(result.diagnostics.some((d) => d.severity === "error")).toBe(true);
}

// Edits that break files the way people do: delete, duplicate or swap lines, change characters, indent.
const mutation = fc.oneof(
  fc.record({ kind: fc.constant("delete-line" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("duplicate-line" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("swap-lines" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("indent" as const), at: fc.nat(), by: fc.integer({ min: -4, max: 4 }) }),
  fc.record({ kind: fc.constant("replace-char" as const), at: fc.nat(), char: fc.constantFrom(":", "-", " ", "{", "[", "'", '"', "$", "\t", "#", "&", "*", "!", "|", ">", "%", "@", "x", "0") }),
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(text: string, m: Mutation): string {
  const lines = text.split("\n");
  const i = m.at % Math.max(lines.length, 1);
  switch (m.kind) {
    case "delete-line":
      lines.splice(i, 1);
      return lines.join("\n");
    case "duplicate-line":
      lines.splice(i, 0, lines[i] ?? "");
      return lines.join("\n");
    case "swap-lines":
      [lines[i], lines[(i + 1) % lines.length]] = [lines[(i + 1) % lines.length] ?? "", lines[i] ?? ""];
      return lines.join("\n");
    case "indent":
      lines[i] = m.by >= 0 ? " ".repeat(m.by) + (lines[i] ?? "") : (lines[i] ?? "").slice(-m.by);
      return lines.join("\n");
    case "replace-char": {
      const at = m.at % Math.max(text.length, 1);
      return text.slice(0, at) + m.char + text.slice(at + 1);
    }
    case "truncate":
      return text.slice(0, m.at % Math.max(text.length, 1));
  }
}

describe("loading never throws", () => {
  it("for arbitrary text", async () => {
    await fc.assert(fc.asyncProperty(fc.string({ unit: "binary", maxLength: 400 }), checkOutcome), { numRuns: 500 });
  });

  it("for arbitrary YAML data", async () => {
    await fc.assert(fc.asyncProperty(fc.anything({ maxDepth: 4, withNullPrototype: false }), (value) => checkOutcome(stringify(value) ?? "")), { numRuns: 300 });
  });

  it("for arbitrary data under the real top-level keys", async () => {
    const section = fc.dictionary(fc.constantFrom("photos", "store", "x", "Bad Name", "__proto__"), fc.anything({ maxDepth: 3 }));
    const file = fc.record({ version: fc.constantFrom(1, 2, "1", null), settings: fc.anything({ maxDepth: 2 }), credentials: section, tasks: section }, { requiredKeys: [] });
    await fc.assert(fc.asyncProperty(file, (value) => checkOutcome(stringify(value))), { numRuns: 300 });
  });

  it("for random edits of the valid examples", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...examples), fc.array(mutation, { minLength: 1, maxLength: 4 }), (text, mutations) => checkOutcome(mutations.reduce(mutate, text))),
      { numRuns: 1000 },
    );
  });
});
