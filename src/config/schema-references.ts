// The file accepts a `${…}` reference wherever it takes a value (but in
// scripts), so the schema editors read must too: every constrained value (a
// number, a boolean, an enum, a pattern, a name) also takes a reference. The
// build strips these alternatives again for the validator, which sees values
// after their references are resolved.

/** A JSON Schema, as plain data. */
export type SchemaNode = { [key: string]: unknown };

export const REFERENCE = "#/definitions/reference";
const REFERENCE_DEFINITION: SchemaNode = {
  description: "A `${VAR}`, `${VAR:-default}`, `${file:/path}` or `${credential:NAME}` (a systemd credential) reference, resolved (and given the field's type) when the file is loaded.",
  type: "string",
  pattern: "^\\$\\{[^}]+\\}$",
  "x-cloudsync-reference": true,
};
/** Annotations stay on the outer schema, where editors show them. */
const ANNOTATION = (key: string) => ["description", "markdownDescription", "examples", "title", "default", "defaultSnippets", "deprecated"].includes(key) || key.startsWith("x-");
const NOT_INTERPOLATED = new Set(["pre_script", "post_script"]);

const isNode = (value: unknown): value is SchemaNode => value !== null && typeof value === "object" && !Array.isArray(value);
const isReference = (schema: unknown) => isNode(schema) && schema.$ref === REFERENCE;
const branchesOf = (schema: SchemaNode) => ((schema.anyOf ?? schema.oneOf ?? []) as unknown[]);
const hasReference = (schema: SchemaNode) => branchesOf(schema).some(isReference);
const typesOf = (schema: SchemaNode) => [schema.type].flat().filter((t): t is string => typeof t === "string");

/** Whether a value schema constrains a string beyond "any text" (or is no string at all). */
function constrained(schema: SchemaNode): boolean {
  if (schema.$ref) return true;
  if (schema.oneOf || schema.anyOf || schema.enum || schema.const !== undefined || schema.pattern || schema.format) return true;
  const types = typesOf(schema);
  return types.length > 0 && !types.every((t) => t === "string" || t === "null");
}

function withReference(schema: SchemaNode): SchemaNode {
  if (hasReference(schema) || !constrained(schema)) return schema;
  const types = typesOf(schema);
  if (types.includes("object") || types.includes("array")) return schema;
  const outer: SchemaNode = {};
  const inner: SchemaNode = {};
  for (const [key, value] of Object.entries(schema)) (ANNOTATION(key) ? outer : inner)[key] = value;
  return { ...outer, anyOf: [inner, { $ref: REFERENCE }] };
}

const mapEntries = (object: unknown, fn: (key: string, value: SchemaNode) => unknown) =>
  Object.fromEntries(Object.entries(object as Record<string, SchemaNode>).map(([key, value]) => [key, fn(key, value)]));

function visit(schema: unknown, key?: string): unknown {
  if (!schema || typeof schema !== "object") return schema;
  if (Array.isArray(schema)) return schema.map((s) => visit(s));
  const out: SchemaNode = { ...(schema as SchemaNode) };
  if (out.properties) out.properties = mapEntries(out.properties, (name, value) => (NOT_INTERPOLATED.has(name) ? value : withReference(visit(value, name) as SchemaNode)));
  if (isNode(out.items)) out.items = withReference(visit(out.items) as SchemaNode);
  if (isNode(out.additionalProperties) && key === "headers") out.additionalProperties = withReference(out.additionalProperties);
  for (const k of ["allOf", "anyOf", "oneOf"]) if (Array.isArray(out[k])) out[k] = (out[k] as unknown[]).map((s) => visit(s));
  if (out.then) out.then = visit(out.then);
  return out;
}

/** A definition with references accepted everywhere the file takes them. */
export function definitionAcceptingReferences(definition: SchemaNode, key: string): SchemaNode {
  return visit(definition, key) as SchemaNode;
}

/** The schema with references accepted everywhere the file takes them. */
export function acceptReferences(schema: SchemaNode): SchemaNode {
  const definitions = Object.fromEntries(
    Object.entries(schema.definitions as Record<string, SchemaNode>)
      .filter(([k]) => k !== "reference")
      .map(([k, v]) => [k, visit(v, k)]),
  );
  const { properties, ...rest } = visit({ ...schema, definitions: undefined }) as SchemaNode;
  return { ...rest, properties, definitions: { ...definitions, reference: REFERENCE_DEFINITION } };
}

/** The same schema with every reference alternative taken out again: what the validator checks. */
export function withoutReferences<T>(schema: T): T {
  if (Array.isArray(schema)) return schema.map(withoutReferences) as T;
  if (!isNode(schema)) return schema;
  for (const key of ["anyOf", "oneOf"]) {
    const branches = schema[key];
    if (Array.isArray(branches) && branches.some(isReference)) {
      const { [key]: _branches, ...rest } = schema;
      const kept = branches.filter((b) => !isReference(b));
      const inner = kept.length === 1 ? (kept[0] as SchemaNode) : { [key]: kept };
      return withoutReferences({ ...rest, ...inner }) as T;
    }
  }
  return Object.fromEntries(
    Object.entries(schema)
      .filter(([k]) => k !== "reference")
      .map(([k, v]) => [k, k === "definitions" ? Object.fromEntries(Object.entries(v as SchemaNode).filter(([d]) => d !== "reference").map(([d, s]) => [d, withoutReferences(s)])) : withoutReferences(v)]),
  ) as T;
}
