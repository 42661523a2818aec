// The file accepts a `${…}` reference wherever it takes a value (but in
// scripts), so the schema editors read must too: every constrained value (a
// number, a boolean, an enum, a pattern, a name) also takes a reference. The
// build strips these alternatives again for the validator, which sees values
// after their references are resolved.

export const REFERENCE = "#/definitions/reference";
const REFERENCE_DEFINITION = {
  description: "A `${VAR}`, `${VAR:-default}` or `${file:/path}` reference, resolved (and given the field's type) when the file is loaded.",
  type: "string",
  pattern: "^\\$\\{[^}]+\\}$",
  "x-cloudsync-reference": true,
};
/** Annotations stay on the outer schema, where editors show them. */
const ANNOTATION = (key) => ["description", "markdownDescription", "examples", "title", "default", "defaultSnippets", "deprecated"].includes(key) || key.startsWith("x-");
const NOT_INTERPOLATED = new Set(["pre_script", "post_script"]);

const isReference = (schema) => schema && schema.$ref === REFERENCE;
const hasReference = (schema) => (schema.anyOf ?? schema.oneOf ?? []).some(isReference);

/** Whether a value schema constrains a string beyond "any text" (or is no string at all). */
function constrained(schema) {
  if (schema.$ref) return true;
  if (schema.oneOf || schema.anyOf || schema.enum || schema.const !== undefined || schema.pattern || schema.format) return true;
  const types = [schema.type].flat().filter(Boolean);
  return types.length > 0 && !types.every((t) => t === "string" || t === "null");
}

function withReference(schema) {
  if (hasReference(schema) || !constrained(schema)) return schema;
  const types = [schema.type].flat().filter(Boolean);
  if (types.includes("object") || types.includes("array")) return schema;
  const outer = {};
  const inner = {};
  for (const [key, value] of Object.entries(schema)) (ANNOTATION(key) ? outer : inner)[key] = value;
  return { ...outer, anyOf: [inner, { $ref: REFERENCE }] };
}

function visit(schema, key) {
  if (!schema || typeof schema !== "object") return schema;
  if (Array.isArray(schema)) return schema.map((s) => visit(s));
  const out = { ...schema };
  if (out.properties) out.properties = Object.fromEntries(Object.entries(out.properties).map(([name, value]) => [name, NOT_INTERPOLATED.has(name) ? value : withReference(visit(value, name))]));
  if (out.items && !Array.isArray(out.items)) out.items = withReference(visit(out.items));
  if (out.additionalProperties && typeof out.additionalProperties === "object" && key === "headers") out.additionalProperties = withReference(out.additionalProperties);
  for (const k of ["allOf", "anyOf", "oneOf"]) if (out[k]) out[k] = out[k].map((s) => visit(s));
  if (out.then) out.then = visit(out.then);
  return out;
}

/** The schema with references accepted everywhere the file takes them. */
export function acceptReferences(schema) {
  const definitions = Object.fromEntries(Object.entries(schema.definitions).filter(([k]) => k !== "reference").map(([k, v]) => [k, visit(v, k)]));
  const { properties, ...rest } = visit({ ...schema, definitions: undefined });
  return { ...rest, properties, definitions: { ...definitions, reference: REFERENCE_DEFINITION } };
}

/** The same schema with every reference alternative taken out again: what the validator checks. */
export function withoutReferences(schema) {
  if (Array.isArray(schema)) return schema.map(withoutReferences);
  if (!schema || typeof schema !== "object") return schema;
  for (const key of ["anyOf", "oneOf"]) {
    if (schema[key]?.some(isReference)) {
      const { [key]: branches, ...rest } = schema;
      const kept = branches.filter((b) => !isReference(b));
      const inner = kept.length === 1 ? kept[0] : { [key]: kept };
      return withoutReferences({ ...rest, ...inner });
    }
  }
  return Object.fromEntries(Object.entries(schema).filter(([k]) => !(k === "reference")).map(([k, v]) => [k, k === "definitions" ? Object.fromEntries(Object.entries(v).filter(([d]) => d !== "reference").map(([d, s]) => [d, withoutReferences(s)])) : withoutReferences(v)]));
}
