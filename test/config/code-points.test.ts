import { createRequire } from "node:module";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import codePointLength from "../../src/config/code-points.js";

/** ajv's count, which the build replaces by ours in the schema validator. */
const ucs2length = (createRequire(import.meta.url)("ajv/dist/runtime/ucs2length") as { default: (text: string) => number }).default;

describe("a string's length in code points", () => {
  it("is what ajv counts, for any string: pairs, lone surrogates, plain text", () => {
    const surrogates = fc.constantFrom("\uD83D", "\uDE00", "\uD83D\uDE00", "a", "é", " ");
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: "binary" }), fc.array(surrogates).map((parts) => parts.join(""))), (text) => {
        expect(codePointLength(text)).toBe(ucs2length(text));
      }),
      { numRuns: 5000 },
    );
  });
});
