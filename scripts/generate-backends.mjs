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

const root = fileURLToPath(new URL("..", import.meta.url));
const schemaPath = `${root}schema/cloudsync.schema.json`;

// Backends that wrap other remotes by name; cloudsync builds crypt itself and
// the others make no sense as a task's storage.
const WRAPPER_BACKENDS = new Set(["alias", "crypt", "cache", "chunker", "combine", "compress", "hasher", "union", "memory"]);

// rclone does not say which backends keep data in buckets; a task on these needs `bucket`.
const BUCKET_BACKENDS = new Set(["s3", "b2", "azureblob", "google cloud storage", "swift"]);

// Options that hold secrets although rclone does not obscure them: named for one,
// or carrying one (headers such as "Authorization,Bearer …"). A URL with a
// password in it is secret whatever its option's name (see src/secrets).
const SENSITIVE_NAME = /(^|_)(secret|token|password|pass|key|credentials)$|^(key_pem|sas_url|service_account_credentials|access_key_id|sse_customer_key_base64|headers)$/;

const JSON_TYPES = {
  bool: { type: "boolean" },
  Tristate: { type: "boolean" },
  int: { type: "integer" },
  SizeSuffix: { type: ["string", "integer"] },
  Duration: { type: ["string", "integer"] },
};

function readProviders() {
  const file = process.argv[2];
  const text = file
    ? readFileSync(file, "utf8")
    : execFileSync(process.env.RCLONE ?? "rclone", ["config", "providers"], { encoding: "utf8", maxBuffer: 64 << 20 });
  return JSON.parse(text);
}

function firstParagraph(help) {
  return help.split(/\n\s*\n/)[0].replace(/\s+/g, " ").trim();
}

// rclone lists some options once per provider (s3 `region`, koofr `password`); merge them.
function mergeOptions(backend) {
  const providerValues = (backend.Options.find((o) => o.Name === "provider")?.Examples ?? []).map((e) => e.Value);
  const byName = new Map();
  for (const option of backend.Options) {
    const list = byName.get(option.Name) ?? [];
    list.push(option);
    byName.set(option.Name, list);
  }
  return [...byName.values()].map((occurrences) => {
    const first = occurrences.find((o) => o.Provider === "") ?? occurrences[0];
    const coveredProviders = new Set(occurrences.flatMap((o) => o.Provider.split(",")));
    const required =
      occurrences.every((o) => o.Required) &&
      (occurrences.some((o) => o.Provider === "") || (providerValues.length > 0 && providerValues.every((p) => coveredProviders.has(p))));
    const examples = [];
    for (const o of occurrences) for (const e of o.Examples ?? []) if (!examples.some((x) => x.Value === e.Value)) examples.push(e);
    return {
      name: first.Name,
      help: firstParagraph(first.Help),
      rcloneType: first.Type,
      required,
      password: occurrences.some((o) => o.IsPassword),
      exclusive: occurrences.every((o) => o.Exclusive) && examples.length > 0,
      advanced: occurrences.every((o) => o.Advanced),
      examples,
      defaultStr: first.DefaultStr,
    };
  });
}

function optionSchema(option) {
  const sensitive = option.password || (option.rcloneType !== "bool" && SENSITIVE_NAME.test(option.name));
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
  if (backend.Prefix !== backend.Name) properties.type = { enum: [backend.Name, backend.Prefix] };
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
  if (BUCKET_BACKENDS.has(backend.Name)) schema["x-bucket-based"] = true;
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
  const providers = readProviders()
    .filter((b) => !WRAPPER_BACKENDS.has(b.Name))
    .sort((a, b) => a.Name.localeCompare(b.Name));
  const schema = withoutReferences(JSON.parse(readFileSync(schemaPath, "utf8")));
  const defs = schema.definitions;
  for (const key of Object.keys(defs)) if (key.startsWith("backend_")) delete defs[key];

  const typeNames = [];
  defs.credential.allOf = providers.map((backend) => {
    const names = backend.Prefix !== backend.Name ? [backend.Name, backend.Prefix] : [backend.Name];
    typeNames.push(...names);
    return {
      if: { properties: { type: names.length === 1 ? { const: names[0] } : { enum: names } }, required: ["type"] },
      then: { $ref: `#/definitions/${definitionKey(backend.Name)}` },
    };
  });
  defs.credential.properties.type.enum = typeNames;
  for (const backend of providers) defs[definitionKey(backend.Name)] = backendSchema(backend);

  const published = acceptReferences(schema);
  writeFileSync(schemaPath, `${JSON.stringify(published, null, 2)}\n`);
  return writeDerivedSources(published);
}

main().then((written) => {
  for (const file of written) console.log(`wrote ${file}`);
});
