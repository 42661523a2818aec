// The TypeScript that is derived from schema/cloudsync.schema.json. Used by
// generate-backends.mjs to write it and by a test to prove it has not drifted.
import { writeFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { compile } from "json-schema-to-typescript";
import { importTypeScript } from "./import-typescript.mjs";

const { withoutReferences } = await importTypeScript("src/config/schema-references.ts");

const root = fileURLToPath(new URL("..", import.meta.url));
const HEADER = "// Generated from schema/cloudsync.schema.json by scripts/generate-backends.mjs. Do not edit.\n";

export const DERIVED_FILES = {
  backends: "src/model/generated/backends.ts",
  types: "src/config/generated/config-types.ts",
  keys: "src/config/generated/schema-keys.ts",
  reference: "docs/reference.md",
};

const cell = (text) => String(text ?? "").replace(/\|/g, "\\|").replace(/\n/g, " ");

function typeOf(schema, defs) {
  if (schema.$ref) return typeOf(defs[schema.$ref.split("/").pop()], defs);
  if (schema.const !== undefined) return `\`${schema.const}\``;
  if (schema.enum) return [...new Set(schema.enum.map((v) => String(v).toLowerCase()))].map((v) => `\`${v}\``).join(" \\| ");
  if (schema.oneOf) return schema.oneOf.map((s) => typeOf(s, defs)).join(" or ");
  const types = [schema.type].flat().filter((t) => t && t !== "null");
  if (types.includes("array")) return `list of ${typeOf(schema.items ?? {}, defs)}`;
  return types.join(" or ") || "mapping";
}

function fieldTable(definition, defs) {
  const rows = Object.entries(definition.properties).map(([key, field]) => {
    const required = definition.required?.includes(key) ? " (required)" : "";
    const description = field.description ?? (field.$ref ? defs[field.$ref.split("/").pop()].description : "");
    return `| \`${key}\`${required} | ${cell(typeOf(field, defs))} | ${cell(description)} |`;
  });
  return ["| key | type | meaning |", "|---|---|---|", ...rows].join("\n");
}

/** docs/reference.md: every field of the file, from the schema's descriptions. */
function reference(schema) {
  const defs = schema.definitions;
  const backends = Object.values(defs)
    .filter((d) => d["x-rclone-backend"])
    .map((d) => `\`${d.properties.type.const ?? d.properties.type.enum.join("` / `")}\`${d["x-bucket-based"] ? " (bucket)" : ""}`);
  return [
    "<!-- Generated from schema/cloudsync.schema.json by scripts/generate-backends.mjs. Do not edit. -->",
    "# The cloudsync.yaml reference",
    "",
    schema.description,
    "",
    "## Top level",
    "",
    fieldTable(schema, defs),
    "",
    "## settings",
    "",
    fieldTable(defs.settings, defs),
    "",
    "## credentials.NAME",
    "",
    defs.credential.description,
    "",
    `Backends: ${backends.join(", ")}. Each backend's options, with rclone's own help, are in the schema; an editor pointed at it completes them.`,
    "",
    "## tasks.NAME",
    "",
    fieldTable(defs.task, defs),
    "",
    "### schedule as a mapping",
    "",
    fieldTable(defs.schedule_object, defs),
    "",
    "### bwlimit as a list",
    "",
    fieldTable(defs.bwlimit_entry, defs),
    "",
    "### encryption",
    "",
    defs.encryption.description,
    "",
    fieldTable(defs.encryption, defs),
    "",
    "### check",
    "",
    defs.check.description,
    "",
    fieldTable(defs.check, defs),
    "",
    "## settings.metrics",
    "",
    fieldTable(defs.metrics, defs),
    "",
    "## settings.web",
    "",
    fieldTable(defs.web, defs),
    "",
    "## settings.fleet",
    "",
    defs.fleet.description,
    "",
    fieldTable(defs.fleet, defs),
    "",
    "### settings.fleet.publish",
    "",
    fieldTable(defs.fleet.properties.publish, defs),
    "",
    "## notifications.NAME",
    "",
    defs.notification.description,
    "",
    fieldTable(defs.notification, defs),
    "",
  ].join("\n");
}

const MAPPINGS = ["settings", "metrics", "web", "fleet", "task", "check", "encryption", "schedule_object", "bwlimit_entry", "notification"];

/** The keys each kind of mapping allows, for "did you mean" suggestions. */
function schemaKeys(schema) {
  const defs = schema.definitions;
  const keys = { root: Object.keys(schema.properties) };
  for (const name of MAPPINGS) keys[name] = Object.keys(defs[name].properties);
  keys.fleet_publish = Object.keys(defs.fleet.properties.publish.properties);
  return keys;
}

/** Fields that take a boolean or a whole number, so that a `${VAR}` there can be given that type. */
function scalarTypes(schema) {
  const types = {};
  for (const name of MAPPINGS) {
    const fields = {};
    for (const [key, field] of Object.entries(schema.definitions[name].properties)) {
      const options = [field.type, ...(field.oneOf ?? []).map((o) => o.type)].flat();
      if (options.includes("boolean")) fields[key] = "boolean";
      else if (options.includes("integer")) fields[key] = "integer";
    }
    types[name] = fields;
  }
  return types;
}

function backendTable(schema) {
  const table = {};
  for (const [key, def] of Object.entries(schema.definitions)) {
    if (!key.startsWith("backend_")) continue;
    const typeSchema = def.properties.type;
    const options = {};
    for (const [name, option] of Object.entries(def.properties)) {
      if (name === "type") continue;
      const entry = { rcloneType: option["x-rclone-type"] };
      if (def.required?.includes(name)) entry.required = true;
      if (option["x-rclone-obscure"]) entry.obscure = true;
      if (option["x-sensitive"]) entry.sensitive = true;
      if (option.enum) entry.choices = option.enum;
      options[name] = entry;
    }
    table[def["x-rclone-backend"]] = {
      aliases: typeSchema.enum ?? [typeSchema.const],
      bucketBased: def["x-bucket-based"] === true,
      options,
    };
  }
  return table;
}

async function configTypes(schema) {
  // The per-backend if/then branches would only make an unreadable intersection;
  // credential options are typed by the backend table instead.
  const shape = structuredClone(schema);
  delete shape.definitions.credential.allOf;
  shape.definitions.credential.additionalProperties = true;
  for (const key of Object.keys(shape.definitions)) if (key.startsWith("backend_")) delete shape.definitions[key];
  return compile(shape, "CloudsyncFile", {
    bannerComment: HEADER.trim(),
    additionalProperties: false,
    style: { singleQuote: false, printWidth: 120 },
  });
}

export async function deriveSources(published) {
  // Types, tables and docs describe values as they are once references are resolved.
  const schema = withoutReferences(published);
  const backends =
    `${HEADER}import type { BackendTable } from "../backend-types.js";\n\n` +
    `/** The rclone whose \`rclone config providers\` the table was generated from. */\n` +
    `export const BUNDLED_RCLONE_VERSION = ${JSON.stringify(schema["x-rclone-version"])};\n\n` +
    `export const BACKENDS: BackendTable = ${JSON.stringify(backendTable(schema), null, 2)};\n`;
  return {
    [DERIVED_FILES.backends]: backends,
    [DERIVED_FILES.types]: await configTypes(schema),
    [DERIVED_FILES.reference]: reference(schema),
    [DERIVED_FILES.keys]:
      `${HEADER}export const SCHEMA_KEYS = ${JSON.stringify(schemaKeys(schema), null, 2)} as const;\n\n` +
      `export const SCALAR_TYPES: Record<string, Record<string, "boolean" | "integer">> = ${JSON.stringify(scalarTypes(schema), null, 2)};\n`,
  };
}

export async function writeDerivedSources(schema) {
  const sources = await deriveSources(schema);
  for (const [path, text] of Object.entries(sources)) {
    mkdirSync(dirname(`${root}${path}`), { recursive: true });
    writeFileSync(`${root}${path}`, text);
  }
  return Object.keys(sources);
}
