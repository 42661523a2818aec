// The one-pass parser of the configuration's YAML subset may refuse anything,
// but whatever it accepts it must read exactly as the exact parser (yaml@2, with
// source positions) does, and place every key and value where it does: one
// reading for every file, whichever parser reads it.
import { readdirSync, readFileSync } from "node:fs";
import fc from "fast-check";
import { stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { parseSubset, parseSubsetWithReferences } from "../../src/config/subset-parse.js";
import { parseSource } from "../../src/config/source.js";
import { lineStartsOf, SourceMap } from "../../src/config/source-map.js";
import { pointerOf } from "../../src/config/pointer.js";
import { largeConfig } from "../../bench/generate.mjs";

const read = (dir: string) =>
  readdirSync(new URL(dir, import.meta.url))
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => readFileSync(new URL(`${dir}${f}`, import.meta.url), "utf8"));
const examples = read("../../examples/");
const corpus = read("./corpus/");

/** What the exact parser reads, or that it refuses the file. */
function exact(text: string): unknown {
  const parsed = parseSource("f.yaml", text, (raw) => raw, () => false);
  return parsed.diagnostics.some((d) => d.severity === "error") ? "the exact parser refuses it" : parsed.value;
}

/** The paths of every string with `${`. */
function referencePaths(value: unknown, path: string[] = []): string[][] {
  if (typeof value === "string") return value.includes("${") ? [path] : [];
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, inner]) => referencePaths(inner, [...path, key]));
}

/** Every path in a parsed value, the root included. */
function allPaths(value: unknown, path: string[] = []): string[][] {
  if (value === null || typeof value !== "object") return [path];
  return [path, ...Object.entries(value).flatMap(([key, inner]) => allPaths(inner, [...path, key]))];
}

/** Where the exact parser places each key and value (and each character of a string) is where the subset parser does. */
function placesAgree(text: string, value: unknown): void {
  const located = new SourceMap("f.yaml", lineStartsOf(text));
  expect(parseSubsetWithReferences(text, located)?.value).toEqual(value);
  const exact = parseSource("f.yaml", text, (raw) => raw, () => false).map;
  for (const path of allPaths(value)) {
    const pointer = pointerOf(path);
    for (const [target, offset] of [["key"], ["value"], ["value", 0], ["value", 2]] as const) {
      expect(located.diagnostic("error", "m", pointer, target, offset), `${pointer} ${target} ${offset} in\n${text}`).toEqual(exact.diagnostic("error", "m", pointer, target, offset));
    }
  }
  // A pointer that is not in the file is placed at its nearest ancestor's key, alike.
  expect(located.diagnostic("error", "m", "/tasks/missing/x")).toEqual(exact.diagnostic("error", "m", "/tasks/missing/x"));
}

function agrees(text: string): void {
  const mine = parseSubsetWithReferences(text);
  if (mine === undefined) return;
  expect(mine.value, text).toEqual(exact(text));
  placesAgree(text, mine.value);
  // Where it says the references are is where they are, all of them. (In any order: a value lists keys like
  // `0` before the others, whatever order they were written in.)
  const sorted = (paths: string[][]) => paths.map((path) => JSON.stringify(path)).sort();
  expect(sorted(mine.sites.map((site) => site.path))).toEqual(sorted(referencePaths(mine.value)));
  for (const site of mine.sites) {
    const at = site.path.reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], mine.value);
    expect((site.container as Record<string | number, unknown>)[site.key]).toBe(at);
  }
}

// Adversarial pieces besides YAML's own punctuation: YAML 1.1's booleans, octal and hex, ~, keys with trailing spaces, tabs,
// CRLF and CR, a BOM, U+2028 and U+0085, directives, merge keys, anchors, flow collections, a very long line.
const EDITS = [
  ...[":", "-", " ", "  ", "{", "}", "[", "]", ",", "'", '"', "\\", "$", "${A}", "${", "#", " #", "&", "*", "!", "|", "|-", ">", "%", "@", "x", "0", "07", "0x1", "1e3", ".5", "~", "null", "True"],
  ...["\n", "\n  ", "- ", ": |", "__proto__", "\u00a0", " \u00a0", "\u2028", "\u2029", "\u0085", "\f", "\u0001", "\ud800", "\t", "\r\n", "\r", "\ufeff"],
  ...["yes", "no", "on", "off", "Y", "010", "0o17", "0x1F", "+12", "1_000", ".inf", "-.nan", "2026-01-01", "key : ", "key  :", "null:", "true:"],
  ...["%YAML 1.1\n---\n", "%TAG ! tag:x,2000:\n---\n", "---\n", "...\n", "<<: *a\n", "&a ", "*a", "!!str ", "[a, b]", "{a: 1}", "? x\n", "x".repeat(5_000)],
];
const edit = fc.record({ at: fc.nat(), text: fc.constantFrom(...EDITS), remove: fc.nat({ max: 3 }) });

describe("the subset parser", () => {
  it("reads the examples and a large generated file, as the exact parser does", () => {
    for (const text of [...examples, largeConfig(50, 5)]) {
      expect(parseSubset(text), text.slice(0, 200)).not.toBeUndefined();
      agrees(text);
    }
  });

  it("agrees with the exact parser on every broken file of the corpus it accepts", () => {
    for (const text of corpus) agrees(text);
  });

  it("agrees with the exact parser on random and adversarial edits of the examples", () => {
    fc.assert(
      fc.property(fc.constantFrom(...examples, largeConfig(3, 2)), fc.array(edit, { minLength: 1, maxLength: 5 }), (text, edits) => {
        const edited = edits.reduce((t, e) => t.slice(0, e.at % (t.length + 1)) + e.text + t.slice((e.at % (t.length + 1)) + e.remove), text);
        agrees(edited);
      }),
      { numRuns: Number(process.env.SUBSET_RUNS ?? 4000) },
    );
  });

  it("agrees with the exact parser on arbitrary data as YAML writes it", () => {
    fc.assert(fc.property(fc.anything({ maxDepth: 4, withNullPrototype: false }), (value) => agrees(stringify(value) ?? "")), { numRuns: 1000 });
    fc.assert(fc.property(fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.array(fc.string()))), (value) => agrees(stringify(value))), { numRuns: 1000 });
  });

  it("reads literal blocks with their blank lines and comments, clipped or stripped", () => {
    const text = "a: |\n  one\n\n  # not a comment\n  two\n\nb: |-\n  x\n  y\nc:\n- |\n  item\n";
    expect(parseSubset(text)).toEqual({ a: "one\n\n# not a comment\ntwo\n", b: "x\ny", c: ["item\n"] });
    agrees(text);
  });

  it("places comments after a collection's last value as yaml@2 does, with `- key:` items and lines that end the parent too", () => {
    const texts = [
      "x:\n  a:\n    b:\n      c: 1\n      # x\n  d: 2\n",
      "x:\n  a:\n    c: 1\n    # x\n  d: 2\n",
      "x:\n  a:\n    b:\n      c:\n        d: 1\n        # x\n    e: 2\n",
      "x:\n  a:\n    - b: 1\n      # x\n  y: 2\n",
      "x:\n  a:\n    - b: 1\n      # x\n    - 2\n",
    ];
    for (const text of texts) agrees(text);
  });
});
