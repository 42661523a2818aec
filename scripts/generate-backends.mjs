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
import { acceptReferences, withoutReferences } from "./schema-references.mjs";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { writeDerivedSources } from "./derive-from-schema.mjs";
import { importTypeScript } from "./import-typescript.mjs";

// The conversion cloudsync also runs against a user's newer rclone, so both agree.
const { firstParagraph, isBucketBased, mergeOptions, storageProviders, tableOption, typeNames } = await importTypeScript("src/config/rclone-providers.ts");

const root = fileURLToPath(new URL("..", import.meta.url));
const schemaPath = `${root}schema/cloudsync.schema.json`;

const JSON_TYPES = {
  bool: { type: "boolean" },
  Tristate: { type: "boolean" },
  int: { type: "integer" },
  SizeSuffix: { type: ["string", "integer"] },
  Duration: { type: ["string", "integer"] },
};

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

function optionSchema(option) {
  const sensitive = tableOption(option).sensitive === true;
  const schema = { ...(JSON_TYPES[option.rcloneType] ?? { type: "string" }) };
  const defaultNote = option.defaultStr !== "" ? ` Default: ${option.defaultStr}.` : "";
  const notes = [option.advanced ? " (advanced)" : "", sensitive ? " Secret: use ${VAR} or ${file:/path}." : ""].join("");
  schema.description = `${option.help}${defaultNote}${notes}`.trim();
  if (option.exclusive) schema.enum = option.examples.map((e) => e.Value);
  else if (option.examples.length > 0 && schema.type === "string") {
    // Offered for completion, and shown on hover as one list (not one "Example:" block each).
    delete schema.type;
    schema.anyOf = [{ enum: option.examples.map((e) => e.Value) }, { type: "string" }];
  }
  if (option.examples.length > 0) {
    const list = option.examples.map((e) => `- \`${e.Value}\`${e.Help ? `: ${firstParagraph(e.Help)}` : ""}`).join("\n");
    schema.markdownDescription = `${schema.description}\n\n${option.exclusive ? "One of" : "For example"}:\n\n${list}`;
  }
  schema["x-rclone-type"] = option.rcloneType;
  if (option.password) schema["x-rclone-obscure"] = true;
  if (sensitive) schema["x-sensitive"] = true;
  return schema;
}

function backendSchema(backend) {
  const options = mergeOptions(backend);
  const properties = { type: { const: backend.Name } };
  const names = typeNames(backend);
  if (names.length > 1) properties.type = { enum: names };
  for (const option of options) properties[option.name] = optionSchema(option);
  const schema = {
    description: `${backend.Description} (rclone backend "${backend.Name}", https://rclone.org/${backend.Prefix}/)`,
    type: "object",
    additionalProperties: false,
    properties,
  };
  const required = options.filter((o) => o.required).map((o) => o.name);
  if (required.length > 0) schema.required = required;
  schema["x-rclone-backend"] = backend.Name;
  if (isBucketBased(backend)) schema["x-bucket-based"] = true;
  return schema;
}

export function definitionKey(backendName) {
  return `backend_${backendName.replace(/[^a-z0-9]+/g, "_")}`;
}

function main() {
  if (process.argv.includes("--derived-only")) {
    // A hand edit of the schema gets its reference alternatives too.
    const edited = acceptReferences(withoutReferences(JSON.parse(readFileSync(schemaPath, "utf8"))));
    writeFileSync(schemaPath, `${JSON.stringify(edited, null, 2)}\n`);
    return writeDerivedSources(edited);
  }
  const providers = storageProviders(readProviders());
  const schema = withoutReferences(JSON.parse(readFileSync(schemaPath, "utf8")));
  const defs = schema.definitions;
  for (const key of Object.keys(defs)) if (key.startsWith("backend_")) delete defs[key];

  const allNames = [];
  defs.credential.allOf = providers.map((backend) => {
    const names = typeNames(backend);
    allNames.push(...names);
    return {
      if: { properties: { type: names.length === 1 ? { const: names[0] } : { enum: names } }, required: ["type"] },
      then: { $ref: `#/definitions/${definitionKey(backend.Name)}` },
    };
  });
  defs.credential.properties.type.enum = allNames;
  schema["x-rclone-version"] = providersVersion();
  for (const backend of providers) defs[definitionKey(backend.Name)] = backendSchema(backend);

  const published = acceptReferences(schema);
  writeFileSync(schemaPath, `${JSON.stringify(published, null, 2)}\n`);
  return writeDerivedSources(published);
}

main().then((written) => {
  for (const file of written) console.log(`wrote ${file}`);
});
