// The schema is the one source of truth; the TypeScript derived from it and the
// part generated from rclone must not drift from it.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
// @ts-expect-error -- a plain .mjs build script without types
import { DERIVED_FILES, deriveSources } from "../../scripts/derive-from-schema.mjs";

const root = new URL("../../", import.meta.url);
const schema = JSON.parse(readFileSync(new URL("schema/cloudsync.schema.json", root), "utf8"));

function rcloneVersion(): string | undefined {
  try {
    return /rclone v?(\S+)/.exec(execFileSync("rclone", ["version"], { encoding: "utf8" }))?.[1];
  } catch {
    return undefined;
  }
}

describe("generated sources", () => {
  it("the committed TypeScript matches what the schema derives", async () => {
    const sources = (await deriveSources(schema)) as Record<string, string>;
    for (const path of Object.values(DERIVED_FILES) as string[]) {
      expect(readFileSync(new URL(path, root), "utf8"), `${path} is stale: run npm run generate -- --derived-only`).toBe(sources[path]);
    }
  });

  const version = rcloneVersion();
  it.runIf(version?.startsWith("1.60."))("every rclone backend option is in the schema (rclone 1.60)", () => {
    const providers = JSON.parse(execFileSync("rclone", ["config", "providers"], { encoding: "utf8", maxBuffer: 64 << 20 })) as {
      Name: string;
      Options: { Name: string; IsPassword: boolean }[];
    }[];
    for (const backend of providers) {
      const definition = Object.values(schema.definitions as Record<string, { "x-rclone-backend"?: string; properties: Record<string, Record<string, unknown>> }>).find(
        (d) => d["x-rclone-backend"] === backend.Name,
      );
      if (!definition) continue; // wrapper backends (crypt, alias, union, …) are left out on purpose
      for (const option of backend.Options) {
        expect(definition.properties, `${backend.Name}.${option.Name}`).toHaveProperty([option.Name]);
        if (option.IsPassword) expect(definition.properties[option.Name]!["x-rclone-obscure"], `${backend.Name}.${option.Name} is obscured`).toBe(true);
      }
    }
  });
});
