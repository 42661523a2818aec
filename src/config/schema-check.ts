import type { ErrorObject } from "ajv";
import validate from "./generated/schema-validator.cjs";
import { SCHEMA_KEYS } from "./generated/schema-keys.js";
import type { Diagnostic } from "../model/diagnostics.js";
import { messages } from "./messages.js";
import { pathOf, pointerOf, type Locator } from "./pointer.js";
import { closest } from "./suggest.js";

// What a field with alternatives (oneOf) accepts, in words.
const ALTERNATIVES: Record<string, string> = {
  schedule: "a preset (hourly, daily, weekly, monthly), a cron expression, or a mapping {minute, hour, dom, month, dow}",
  transfers: "a whole number of at least 1, or low, medium or high",
  bwlimit: 'a rate such as 10M, a timetable such as "08:00,512k 18:00,off", or a list of {time, bandwidth}',
  max_delete: 'a number of files (0 or more), or a share of the destination\'s files such as "20%"',
};

// What a field with a pattern accepts, in words.
const PATTERNS: Record<string, string> = {
  retry_delay: "a duration such as 30s, 5m, 1.5h or 1h30m",
  timeout: "a duration such as 90m, 6h, 1.5h or 1d",
  max_age: "a duration such as 26h, 8d or 1.5h",
};

const TYPE_WORDS: Record<string, string> = {
  string: "text",
  integer: "a whole number",
  number: "a number",
  boolean: "true or false",
  array: "a list",
  object: "a mapping",
  null: "empty",
};

function typeWords(type: unknown): string {
  const types = (Array.isArray(type) ? type : [type]).filter((t) => t !== "null").map((t) => TYPE_WORDS[String(t)] ?? String(t));
  return types.join(" or ");
}

/** How to speak of the mapping at `path`: `task "photos"`, `settings`, … */
export function describeLocation(path: readonly string[]): string {
  const [section, name, field, index] = path;
  if (path.length === 0) return "the top level";
  if (section === "settings") return path.length > 1 ? `settings.${path.slice(1).join(".")}` : "settings";
  const owner = section === "tasks" ? `task ${JSON.stringify(name)}` : section === "notifications" ? `channel ${JSON.stringify(name)}` : `credential ${JSON.stringify(name)}`;
  if (path.length === 2) return owner;
  if (field === "bwlimit" && index !== undefined) return `bwlimit entry ${Number(index) + 1} of ${owner}`;
  return `the ${field} of ${owner}`;
}

/** The keys of a mapping under settings: its own, metrics', web's, the fleet's or the fleet's publish place. */
function settingsKeys(path: readonly string[]): readonly string[] {
  if (path[1] === "metrics") return SCHEMA_KEYS.metrics;
  if (path[1] === "web") return SCHEMA_KEYS.web;
  if (path[1] === "fleet") return path[2] === "publish" ? SCHEMA_KEYS.fleet_publish : SCHEMA_KEYS.fleet;
  return SCHEMA_KEYS.settings;
}

/** The keys allowed in the mapping at `path`, for suggestions (a credential's options are checked in credential-check). */
function allowedKeys(path: readonly string[]): readonly string[] {
  const [section, , field] = path;
  if (path.length === 0) return SCHEMA_KEYS.root;
  if (section === "settings") return settingsKeys(path);
  if (section === "notifications") return SCHEMA_KEYS.notification;
  if (path.length === 2) return SCHEMA_KEYS.task;
  if (field === "encryption") return SCHEMA_KEYS.encryption;
  if (field === "check") return path[3] === "schedule" ? SCHEMA_KEYS.schedule_object : SCHEMA_KEYS.check;
  if (field === "schedule") return SCHEMA_KEYS.schedule_object;
  return SCHEMA_KEYS.bwlimit_entry;
}

function valueAt(data: unknown, path: readonly string[]): unknown {
  let current = data;
  for (const segment of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = Object.getOwnPropertyDescriptor(current, segment)?.value;
  }
  return current;
}

/** The name a user knows a value by: its key, or `exclude[2]` for list items. */
function fieldName(path: readonly string[]): string {
  const last = path.at(-1) ?? "";
  if (/^\d+$/.test(last) && path.length > 1) return `${path.at(-2)}[${last}]`;
  return last;
}

/** Checks the file's shape against the JSON Schema; every problem, located. */
export function checkSchema(data: unknown, map: Locator, unresolved: ReadonlySet<string>): Diagnostic[] {
  if (validate(data)) return [];
  const errors = validate.errors ?? [];
  const diagnostics: Diagnostic[] = [];
  // ajv may report one problem more than once. What a problem is, is where in the data it is and what it says:
  // not its place in the text, which the quick path does not know yet (every place is the file's start then).
  const seen = new Set<string>();
  const push = (d: Diagnostic, at: string) => {
    const key = `${at}\u0000${d.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      diagnostics.push(d);
    }
  };

  // Alternatives (oneOf) on a scalar: one message for the whole field instead of one per branch.
  const collapsed = new Set<string>();
  for (const error of errors) {
    if (error.keyword !== "oneOf") continue;
    const value = valueAt(data, pathOf(error.instancePath));
    if (value === null || typeof value !== "object") collapsed.add(error.instancePath);
  }

  for (const error of errors) {
    // A value whose ${…} failed is reported once, for the reference.
    if (error.keyword === "if" || unresolved.has(error.instancePath)) continue;
    if (collapsed.has(error.instancePath)) {
      if (error.keyword === "oneOf") {
        const path = pathOf(error.instancePath);
        push(map.diagnostic("error", messages.wrongType(fieldName(path), ALTERNATIVES[path.at(-1) ?? ""] ?? "something else"), error.instancePath), error.instancePath);
      }
      continue;
    }
    // A list given where a rate string was expected, or the reverse, is reported by the other branch.
    if (error.keyword === "oneOf" || (error.keyword === "type" && error.schemaPath.includes("/oneOf/"))) continue;
    const diagnostic = describe(error, data, map);
    if (diagnostic) push(diagnostic, error.instancePath);
  }
  return diagnostics;
}

function describe(error: ErrorObject, data: unknown, map: Locator): Diagnostic | undefined {
  const path = pathOf(error.instancePath);
  const pointer = error.instancePath;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required": {
      const key = String(params.missingProperty);
      return map.diagnostic("error", messages.missingKey(key, describeLocation(path)), pointer, "key");
    }
    case "additionalProperties": {
      const key = String(params.additionalProperty);
      const suggestion = closest(key, allowedKeys(path));
      return map.diagnostic("error", messages.unknownKey(key, describeLocation(path), suggestion), pointerOf([...path, key]), "key");
    }
    case "propertyNames": {
      const name = String(params.propertyName);
      const kind = path[0] === "tasks" ? "task" : path[0] === "notifications" ? "channel" : "credential";
      return map.diagnostic("error", messages.badName(kind, name), pointerOf([...path, name]), "key");
    }
    case "pattern":
    case "maxLength":
      if (error.propertyName !== undefined) return undefined; // reported as propertyNames
      if (error.keyword === "pattern" && PATTERNS[path.at(-1) ?? ""]) {
        return map.diagnostic("error", messages.wrongType(fieldName(path), PATTERNS[path.at(-1)!]!), pointer);
      }
      return map.diagnostic("error", messages.outOfRange(fieldName(path), error.message ?? "is not valid"), pointer);
    case "enum": {
      const value = String(valueAt(data, path));
      const allowed = (params.allowedValues as unknown[]).map(String);
      const lower = [...new Set(allowed.map((a) => a.toLowerCase()))];
      return map.diagnostic("error", messages.notAllowed(fieldName(path), value, lower, closest(value, lower)), pointer);
    }
    case "const":
      return map.diagnostic("error", messages.unsupportedVersion(JSON.stringify(valueAt(data, path))), pointer);
    case "type":
      return map.diagnostic("error", messages.wrongType(fieldName(path), typeWords(params.type)), pointer);
    case "minimum":
      return map.diagnostic("error", messages.outOfRange(fieldName(path), `must be at least ${String(params.limit)}`), pointer);
    case "minLength": {
      const limit = Number(params.limit);
      return map.diagnostic("error", messages.outOfRange(fieldName(path), limit <= 1 ? "must not be empty" : `must be at least ${limit} characters long`), pointer);
    }
    default:
      return map.diagnostic("error", messages.outOfRange(fieldName(path), error.message ?? "is not valid"), pointer);
  }
}
