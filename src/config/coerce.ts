import type { BackendCatalog } from "../model/backends.js";
import { SCALAR_TYPES } from "./generated/schema-keys.js";

type Scalar = "boolean" | "integer";

const RCLONE_SCALARS: Record<string, Scalar> = { bool: "boolean", Tristate: "boolean", int: "integer" };

function child(value: unknown, key: string): unknown {
  return value !== null && typeof value === "object" ? Object.getOwnPropertyDescriptor(value, key)?.value : undefined;
}

/** The scalar type the field at `path` takes, if it is a boolean or a whole number. */
function expectedType(data: unknown, path: readonly string[], backends: BackendCatalog): Scalar | undefined {
  const [section, name, field, sub] = path;
  if (section === "settings" && path.length === 2) return SCALAR_TYPES.settings?.[name!];
  if (section === "tasks" && path.length === 3) return SCALAR_TYPES.task?.[field!];
  if (section === "tasks" && path.length === 4 && field === "encryption") return SCALAR_TYPES.encryption?.[sub!];
  if (section === "tasks" && path.length === 4 && field === "schedule") return SCALAR_TYPES.schedule_object?.[sub!];
  if (section === "credentials" && path.length === 3) {
    const type = child(child(child(data, "credentials"), name!), "type");
    const option = typeof type === "string" ? backends.find(type)?.options[field!] : undefined;
    return option ? RCLONE_SCALARS[option.rcloneType] : undefined;
  }
  return undefined;
}

/**
 * A field that is exactly one `${VAR}` takes the type the field needs:
 * `enabled: ${ENABLED}` is a boolean, `port: "${PORT}"` a number. Anything
 * else stays text, and the schema says what is wrong with it.
 */
export function coerceWholeReferences(data: unknown, paths: readonly (readonly string[])[], backends: BackendCatalog): void {
  for (const path of paths) {
    const type = expectedType(data, path, backends);
    if (!type) continue;
    const parent = path.slice(0, -1).reduce<unknown>((node, key) => child(node, key), data) as Record<string, unknown>;
    const key = path.at(-1)!;
    const text = parent[key];
    if (type === "boolean" && (text === "true" || text === "false")) parent[key] = text === "true";
    if (type === "integer" && typeof text === "string" && /^-?\d+$/.test(text)) parent[key] = Number(text);
  }
}
