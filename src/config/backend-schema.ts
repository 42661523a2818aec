// The credential part of the JSON Schema, made from `rclone config providers`:
// one definition per backend with its options. The bundled schema is made with
// this at build time (scripts/generate-backends.mjs), and `cloudsync schema
// --write` makes the same for the rclone a user runs, so the editor and
// `validate` agree about newer backends and options. Pure.
import { firstParagraph, isBucketBased, mergeOptions, storageProviders, tableOption, typeNames, type MergedOption, type RcloneProvider } from "../model/rclone-providers.js";
import { acceptReferences, withoutReferences, type SchemaNode } from "./schema-references.js";

const JSON_TYPES: Record<string, SchemaNode> = {
  bool: { type: "boolean" },
  Tristate: { type: "boolean" },
  int: { type: "integer" },
  SizeSuffix: { type: ["string", "integer"] },
  Duration: { type: ["string", "integer"] },
};

function optionSchema(option: MergedOption): SchemaNode {
  const sensitive = tableOption(option).sensitive === true;
  const schema: SchemaNode = { ...(JSON_TYPES[option.rcloneType] ?? { type: "string" }) };
  const defaultNote = option.defaultStr !== "" ? ` Default: ${option.defaultStr}.` : "";
  const notes = [option.advanced ? " (advanced)" : "", sensitive ? " Secret: use ${VAR}, ${file:/path} or ${credential:NAME}." : ""].join("");
  schema.description = `${option.help}${defaultNote}${notes}`.trim();
  if (option.exclusive) schema.enum = option.examples.map((e) => e.Value);
  else if (option.examples.length > 0 && schema.type === "string") {
    // Offered for completion, and shown on hover as one list (not one "Example:" block each).
    delete schema.type;
    schema.anyOf = [{ enum: option.examples.map((e) => e.Value) }, { type: "string" }];
  }
  if (option.examples.length > 0) {
    const list = option.examples.map((e) => `- \`${e.Value}\`${e.Help ? `: ${firstParagraph(e.Help)}` : ""}`).join("\n");
    schema.markdownDescription = `${String(schema.description)}\n\n${option.exclusive ? "One of" : "For example"}:\n\n${list}`;
  }
  schema["x-rclone-type"] = option.rcloneType;
  if (option.password) schema["x-rclone-obscure"] = true;
  if (sensitive) schema["x-sensitive"] = true;
  return schema;
}

function backendSchema(backend: RcloneProvider): SchemaNode {
  const options = mergeOptions(backend);
  const names = typeNames(backend);
  const properties: SchemaNode = { type: names.length > 1 ? { enum: names } : { const: backend.Name } };
  for (const option of options) properties[option.name] = optionSchema(option);
  const schema: SchemaNode = {
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

function definitionKey(backendName: string): string {
  return `backend_${backendName.replace(/[^a-z0-9]+/g, "_")}`;
}

/**
 * `schema` (without reference alternatives) with its backend definitions, the
 * credential's branches and `type` names replaced by those of `providers`.
 */
export function withBackends(schema: SchemaNode, providers: readonly RcloneProvider[], rcloneVersion: string): SchemaNode {
  const definitions = Object.fromEntries(Object.entries(schema.definitions as Record<string, SchemaNode>).filter(([key]) => !key.startsWith("backend_")));
  const storage = storageProviders(providers);
  const credential = definitions.credential!;
  const credentialProperties = credential.properties as Record<string, SchemaNode>;
  const allNames = storage.flatMap(typeNames);
  definitions.credential = {
    ...credential,
    properties: { ...credentialProperties, type: { ...credentialProperties.type, enum: allNames } },
    allOf: storage.map((backend) => {
      const names = typeNames(backend);
      return {
        if: { properties: { type: names.length === 1 ? { const: names[0] } : { enum: names } }, required: ["type"] },
        then: { $ref: `#/definitions/${definitionKey(backend.Name)}` },
      };
    }),
  };
  for (const backend of storage) definitions[definitionKey(backend.Name)] = backendSchema(backend);
  return { ...schema, "x-rclone-version": rcloneVersion, definitions };
}

/** The published schema (references accepted) for another rclone's backends. */
export function schemaForRclone(published: SchemaNode, providers: readonly RcloneProvider[], rcloneVersion: string): SchemaNode {
  return acceptReferences(withBackends(withoutReferences(published), providers, rcloneVersion));
}
