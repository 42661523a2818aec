import { describe, expect, it } from "vitest";
import { requireLazily } from "../../src/entry/lazy-builtins.js";

/** A `require` that counts what it loads. */
function counting() {
  const loaded: string[] = [];
  const fake = ((id: string) => {
    loaded.push(id);
    return { createHash: (algorithm: string) => `hash:${algorithm}`, constants: { A: 1 } };
  }) as unknown as NodeJS.Require;
  return { loaded, require: requireLazily(fake) };
}

describe("the bundle's require", () => {
  it("loads a heavy built-in module at the first use of one of its members, once", () => {
    const { loaded, require } = counting();
    const crypto = require("node:crypto") as { createHash: (a: string) => string; constants: { A: number } };
    expect(loaded).toEqual([]);
    expect(crypto.createHash("sha256")).toBe("hash:sha256");
    expect(crypto.constants.A).toBe(1);
    expect(loaded).toEqual(["node:crypto"]);
  });

  it("behaves as the module for `in`, keys and descriptors", () => {
    const { require } = counting();
    const child = require("child_process") as object;
    expect("createHash" in child).toBe(true);
    expect(Object.keys(child)).toEqual(["createHash", "constants"]);
    expect(Object.getOwnPropertyDescriptor(child, "constants")?.value).toEqual({ A: 1 });
  });

  it("loads any other module at once", () => {
    const { loaded, require } = counting();
    require("node:path");
    expect(loaded).toEqual(["node:path"]);
  });
});
