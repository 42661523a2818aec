// The TypeScript that is derived from schema/cloudsync.schema.json. Used by
// generate-backends.mjs to write it and by a test to prove it has not drifted.
import { writeFileSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { compile } from "json-schema-to-typescript";

const root = fileURLToPath(new URL("..", import.meta.url));
const HEADER = "// Generated from schema/cloudsync.schema.json by scripts/generate-backends.mjs. Do not edit.\n";

export const DERIVED_FILES = {
  backends: "src/config/generated/backends.ts",
  types: "src/config/generated/config-types.ts",
  keys: "src/config/generated/schema-keys.ts",
};

/** The keys each kind of mapping allows, for "did you mean" suggestions. */
function schemaKeys(schema) {
  const defs = schema.definitions;
  const keys = { root: Object.keys(schema.properties) };
  for (const name of ["settings", "task", "encryption", "schedule_object", "bwlimit_entry"]) keys[name] = Object.keys(defs[name].properties);
  return keys;
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

export async function deriveSources(schema) {
  const backends =
    `${HEADER}import type { BackendTable } from "../backend-types.js";\n\n` +
    `export const BACKENDS: BackendTable = ${JSON.stringify(backendTable(schema), null, 2)};\n`;
  return {
    [DERIVED_FILES.backends]: backends,
    [DERIVED_FILES.types]: await configTypes(schema),
    [DERIVED_FILES.keys]: `${HEADER}export const SCHEMA_KEYS = ${JSON.stringify(schemaKeys(schema), null, 2)} as const;\n`,
  };
}

export async function writeDerivedSources(schema) {
  const sources = await deriveSources(schema);
  mkdirSync(`${root}src/config/generated`, { recursive: true });
  for (const [path, text] of Object.entries(sources)) writeFileSync(`${root}${path}`, text);
  return Object.keys(sources);
}
