// A credential's options, checked against the backends of the rclone the
// configuration runs (a catalog), not against the schema: the schema ships one
// rclone version's options, and users run newer ones.
import type { BackendCatalog, FoundBackend } from "../model/backends.js";
import type { BackendOption } from "../model/backend-types.js";
import type { Diagnostic } from "../model/diagnostics.js";
import { messages } from "./messages.js";
import { pointerOf, type Locator } from "./pointer.js";
import { closest } from "./suggest.js";

// Light checks of rclone's size and duration syntax, so typos fail here rather than at 3 a.m.
const SIZE = /^(off|\d+(\.\d+)?([bBkKmMgGtTpPeE]|[kKmMgGtTpPeE]iB?)?)$/;
const DURATION = /^(off|(\d+(\.\d+)?(ns|us|\u00b5s|ms|s|m|h|d|w|M|y))+|\d+(\.\d+)?)$/;

/** What a value of each rclone option type must be in the file, and how to say so. */
const SHAPES: Record<string, { accepts: (value: unknown) => boolean; words: string }> = {
  bool: { accepts: (v) => typeof v === "boolean", words: "true or false" },
  Tristate: { accepts: (v) => typeof v === "boolean", words: "true or false" },
  int: { accepts: (v) => Number.isInteger(v), words: "a whole number" },
  SizeSuffix: { accepts: (v) => typeof v === "string" || Number.isInteger(v), words: "text or a whole number" },
  Duration: { accepts: (v) => typeof v === "string" || Number.isInteger(v), words: "text or a whole number" },
};
const TEXT = { accepts: (v: unknown) => typeof v === "string", words: "text" };

/** Values rclone would refuse although the type is right. */
const FORMATS: Record<string, RegExp> = { SizeSuffix: SIZE, Duration: DURATION };

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function checkValue(option: string, meta: BackendOption, value: unknown, at: string, map: Locator): Diagnostic | undefined {
  const shape = SHAPES[meta.rcloneType] ?? TEXT;
  if (!shape.accepts(value)) return map.diagnostic("error", messages.wrongType(option, shape.words), at);
  const format = FORMATS[meta.rcloneType];
  if (format && typeof value === "string" && !format.test(value)) return map.diagnostic("error", messages.badOptionValue(option, meta.rcloneType, value), at);
  if (meta.choices && !meta.choices.includes(String(value))) {
    return map.diagnostic("error", messages.notAllowed(option, String(value), meta.choices, closest(String(value), meta.choices)), at);
  }
  return undefined;
}

/** A backend's required options, found once per backend (s3 has over a hundred options, and a file may have a hundred s3 credentials). */
const requiredOptions = new WeakMap<FoundBackend["options"], string[]>();

function requiredOf(backend: FoundBackend): string[] {
  let required = requiredOptions.get(backend.options);
  if (!required) requiredOptions.set(backend.options, (required = Object.keys(backend.options).filter((option) => backend.options[option]!.required)));
  return required;
}

function checkOptions(name: string, entry: Record<string, unknown>, backend: FoundBackend, catalog: BackendCatalog, map: Locator, unresolved: ReadonlySet<string>): Diagnostic[] {
  const where = `credential ${JSON.stringify(name)}`;
  const diagnostics: Diagnostic[] = [];
  for (const option of requiredOf(backend)) {
    if (entry[option] === undefined) diagnostics.push(map.diagnostic("error", messages.missingKey(option, where), pointerOf(["credentials", name]), "key"));
  }
  for (const [option, value] of Object.entries(entry)) {
    if (option === "type") continue;
    const at = pointerOf(["credentials", name, option]);
    const meta = backend.options[option];
    if (!meta) {
      const suggestion = closest(option, ["type", ...Object.keys(backend.options)]);
      diagnostics.push(map.diagnostic("error", messages.unknownOption(option, where, suggestion, backend.name, catalog.rcloneVersion), at, "key"));
    } else if (!unresolved.has(at)) {
      const problem = checkValue(option, meta, value, at, map);
      if (problem) diagnostics.push(problem);
    }
  }
  return diagnostics;
}

/**
 * Every credential's `type` and options against `catalog`: unknown backends
 * and options (with the likely intended name), missing required options,
 * values of the wrong type or format. Shapes the schema already reports (a
 * credential that is not a mapping, a missing `type`) are left to it.
 */
export function checkCredentials(data: Record<string, unknown>, map: Locator, unresolved: ReadonlySet<string>, catalog: BackendCatalog): Diagnostic[] {
  const credentials = data.credentials;
  if (!isMapping(credentials)) return [];
  const diagnostics: Diagnostic[] = [];
  for (const [name, entry] of Object.entries(credentials)) {
    if (!isMapping(entry) || typeof entry.type !== "string") continue;
    const typeAt = pointerOf(["credentials", name, "type"]);
    if (unresolved.has(typeAt)) continue;
    const backend = catalog.find(entry.type);
    if (!backend) diagnostics.push(map.diagnostic("error", messages.unknownBackend(entry.type, closest(entry.type, catalog.typeNames()), catalog.rcloneVersion), typeAt));
    else diagnostics.push(...checkOptions(name, entry, backend, catalog, map, unresolved));
  }
  return diagnostics;
}
