import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import { STARTER } from "../../src/config/starter.js";

const dir = new URL("../../examples/", import.meta.url);
const examples = readdirSync(dir).filter((f) => f.endsWith(".yaml"));

/** Every ${NAME} the text uses, set to a stand-in; every ${file:…} reads a stand-in. */
function standIns(text: string) {
  const env: Record<string, string> = {};
  for (const match of text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)/g)) env[match[1]!] = `/stand-in/${match[1]}`;
  return { env, readFile: (path: string) => `contents of ${path}\n` };
}

describe("examples", () => {
  it("include the kinds the README promises", () => {
    expect(examples).toEqual(
      expect.arrayContaining(["quickstart-local.yaml", "s3-compatible.yaml", "backblaze-b2.yaml", "sftp.yaml", "encrypted-offsite.yaml"]),
    );
  });

  it.each(examples)("%s validates without errors or warnings", async (file) => {
    const text = readFileSync(new URL(file, dir), "utf8");
    const result = await loadConfig(file, text, standIns(text));
    expect(result.diagnostics).toEqual([]);
    expect(result.config).not.toBeNull();
  });

  it("the starter written by init validates", async () => {
    const result = await loadConfig("cloudsync.yaml", STARTER, standIns(STARTER));
    expect(result.diagnostics).toEqual([]);
    expect(Object.keys(result.config!.tasks)).toEqual(["documents"]);
  });

  // The files the README and docs/configuration.md show whole (a `version: 1` block) validate as shown.
  const documented = ["../../README.md", "../../docs/configuration.md"].flatMap((page) =>
    [...readFileSync(new URL(page, import.meta.url), "utf8").matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!).filter((block) => /^version: 1\b/m.test(block)).map((block) => [page, block] as const),
  );
  it("the README and the configuration page show files that validate", async () => {
    expect(documented.length).toBeGreaterThanOrEqual(2);
    for (const [page, text] of documented) {
      const result = await loadConfig(page, text, standIns(text));
      expect(result.diagnostics, page).toEqual([]);
    }
  });
});
