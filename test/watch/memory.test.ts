import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { collectGarbage } from "../../src/watch/memory.js";

describe("a full garbage collection without --expose-gc", () => {
  it("leaves V8's flags as they were, so the code compiled meanwhile can be cached for the next start", (context) => {
    if ((globalThis as { gc?: unknown }).gc) return context.skip();
    collectGarbage();
    // A new context gets `gc` only while the flag is set.
    expect(runInNewContext("typeof gc")).toBe("undefined");
  });
});
