#!/usr/bin/env node
// Regenerates the rclone-backend part of schema/cloudsync.schema.json from
// `rclone config providers`, then the TypeScript derived from the schema.
//
//   node scripts/generate-backends.mjs                 # asks the rclone on PATH
//   node scripts/generate-backends.mjs providers.json  # or reads a saved dump
//   node scripts/generate-backends.mjs --derived-only  # after a hand edit of the schema
//
// Only `definitions.backend_*`, `definitions.credential.allOf` and the enum of
// `credential.type` are written; everything else in the schema is hand-kept.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { writeDerivedSources } from "./derive-from-schema.mjs";
import { importTypeScript } from "./import-typescript.mjs";

// The conversion cloudsync also runs against a user's rclone (schema --write), so both agree.
const { acceptReferences, withoutReferences } = await importTypeScript("src/config/schema-references.ts");
const { withBackends } = await importTypeScript("src/config/backend-schema.ts");

const root = fileURLToPath(new URL("..", import.meta.url));
const schemaPath = `${root}schema/cloudsync.schema.json`;

const rclone = process.env.RCLONE ?? "rclone";

function readProviders() {
  const file = process.argv[2];
  const text = file ? readFileSync(file, "utf8") : execFileSync(rclone, ["config", "providers"], { encoding: "utf8", maxBuffer: 64 << 20 });
  return JSON.parse(text);
}

/** The version the table describes: `--rclone-version V` with a saved dump, else the rclone asked. */
function providersVersion() {
  const flag = process.argv.indexOf("--rclone-version");
  if (flag > 0) return process.argv[flag + 1];
  return /^rclone v?(\S+)/.exec(execFileSync(rclone, ["version"], { encoding: "utf8" }))[1];
}

function main() {
  if (process.argv.includes("--derived-only")) {
    // A hand edit of the schema gets its reference alternatives too.
    const edited = acceptReferences(withoutReferences(JSON.parse(readFileSync(schemaPath, "utf8"))));
    writeFileSync(schemaPath, `${JSON.stringify(edited, null, 2)}\n`);
    return writeDerivedSources(edited);
  }
  const schema = withBackends(withoutReferences(JSON.parse(readFileSync(schemaPath, "utf8"))), readProviders(), providersVersion());
  const published = acceptReferences(schema);
  writeFileSync(schemaPath, `${JSON.stringify(published, null, 2)}\n`);
  return writeDerivedSources(published);
}

main().then((written) => {
  for (const file of written) console.log(`wrote ${file}`);
});
