import { BUNDLED_BACKENDS, type BackendCatalog } from "../model/backends.js";
import { coerceWholeReferences } from "./coerce.js";
import { checkCredentials } from "./credential-check.js";
import { hasErrors, sortDiagnostics, type Diagnostic } from "../model/diagnostics.js";
import { fastParse, placesIn } from "./fast-parse.js";
import { parseSubset } from "./subset-parse.js";
import { References, type Environment } from "./interpolate.js";
import { messages } from "./messages.js";
import type { DesiredConfig } from "../model/config.js";
import { normalize } from "./normalize.js";
import { pointerOf, type Locator } from "./pointer.js";

export type { Environment } from "./interpolate.js";

export interface LoadedConfig {
  /** Every problem found, errors and warnings, in file order. */
  diagnostics: Diagnostic[];
  /** The desired model; null when there is any error. */
  config: DesiredConfig | null;
  /** Files read through `${file:…}`, so a watcher can follow them. */
  referencedFiles: string[];
  /** Environment variables the file refers to, so an export can provide them. */
  referencedVariables: string[];
  /** systemd credentials the file refers to (`${credential:NAME}`), so an export can load them. */
  referencedCredentials: string[];
}

// Scripts belong to the shell: `${VAR}` there is the script's own business.
const interpolates = (path: readonly string[]) =>
  !(path.length === 3 && path[0] === "tasks" && (path[2] === "pre_script" || path[2] === "post_script"));

/**
 * Stands in for source positions on the quick path: a diagnostic is made without one, and
 * where it points is kept, so it can be placed once the positions are known (rarely needed).
 */
class PlacedLater implements Locator {
  readonly #places = new Map<Diagnostic, [pointer: string, target?: "key" | "value", offsetInValue?: number]>();

  diagnostic(severity: Diagnostic["severity"], message: string, pointer: string, target?: "key" | "value", offsetInValue?: number): Diagnostic {
    const diagnostic: Diagnostic = { severity, message, file: "", line: 1, column: 1 };
    this.#places.set(diagnostic, [pointer, target, offsetInValue]);
    return diagnostic;
  }

  /** The diagnostics placed by `locator`; undefined if one was not made here (it cannot be placed). */
  placed(diagnostics: readonly Diagnostic[], locator: Locator): Diagnostic[] | undefined {
    const placed: Diagnostic[] = [];
    for (const d of diagnostics) {
      const place = this.#places.get(d);
      if (!place) return undefined;
      placed.push(locator.diagnostic(d.severity, d.message, ...place));
    }
    return placed;
  }
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

type SchemaCheck = typeof import("./schema-check.js").checkSchema;

/** The checks after parsing, the same on both paths. */
function analyse(checkSchema: SchemaCheck, data: Record<string, unknown>, locator: Locator, references: References, backends: BackendCatalog, environment: Environment) {
  coerceWholeReferences(data, references.whole, backends);
  const diagnostics = [...checkSchema(data, locator, references.unresolved), ...checkCredentials(data, locator, references.unresolved, backends), ...checkRclone(data, locator, environment)];
  const normalized = normalize(data, locator, references.resolved, backends);
  const found = [...diagnostics, ...normalized.diagnostics];
  // Only a file without errors is worth a look at this machine: a path with an error has been reported already.
  if (normalized.config && !hasErrors(found)) found.push(...checkLocalPaths(normalized.config, locator, environment));
  return { diagnostics: found, config: normalized.config };
}

/** A task's local path that is not there (or not a directory) on this machine: said at validate, not at the first run. */
function checkLocalPaths(config: DesiredConfig, locator: Locator, environment: Environment): Diagnostic[] {
  const kindOf = environment.localPathKind;
  if (!kindOf) return [];
  const diagnostics: Diagnostic[] = [];
  for (const [task, spec] of Object.entries(config.tasks)) {
    const kind = kindOf(spec.path);
    if (kind === "directory") continue;
    let message = messages.localPathNotDirectory(task, spec.path);
    if (kind === "missing") {
      // A pull makes its own directory; only one whose parent is missing too (an unmounted disk?) is worth a word.
      const parent = spec.path.slice(0, spec.path.lastIndexOf("/")) || "/";
      if (spec.direction === "pull" && kindOf(parent) === "directory") continue;
      message = messages.localPathMissing(task, spec.path, spec.direction, parent);
    }
    diagnostics.push(locator.diagnostic("warning", message, pointerOf(["tasks", task, "path"]), "value"));
  }
  return diagnostics;
}

/** An rclone the file names that this machine does not have: said now, not at the first scheduled run. */
function checkRclone(data: Record<string, unknown>, locator: Locator, environment: Environment): Diagnostic[] {
  const rclone = namedRclone(data);
  // The default "rclone" missing is for the runs to say: a file is often checked on a machine that only reviews it.
  if (rclone === "rclone" || environment.findsProgram?.(rclone) !== false) return [];
  return [locator.diagnostic("warning", messages.rcloneNotFound(rclone), "/settings/rclone", "value")];
}

function namedRclone(data: Record<string, unknown>): string {
  const settings = data.settings;
  return isMapping(settings) && typeof settings.rclone === "string" && settings.rclone !== "" ? settings.rclone : "rclone";
}

/** The backends of the rclone the parsed file names (read from the data itself: no second parse). */
function backendsFor(environment: Environment, data: Record<string, unknown>): Promise<BackendCatalog> {
  return environment.backendsOf?.(namedRclone(data)) ?? Promise.resolve(BUNDLED_BACKENDS);
}

/**
 * A message may quote a value; a value that came from `${…}` may be a secret,
 * so it is shown as the reference the user wrote instead.
 */
function unresolveAll(diagnostics: Diagnostic[], references: References): Diagnostic[] {
  if (diagnostics.length === 0) return diagnostics;
  // One written form per value (a reference used in 100 places is one), longest first so the longest match wins;
  // a value is looked for as it is and as a quoted message spells it (JSON: " and \ escaped), each put back alike.
  const rawOf = new Map<string, string>();
  const quoted = (text: string) => JSON.stringify(text).slice(1, -1);
  for (const { raw, resolved } of references.resolved.values()) {
    if (resolved.length < 3) continue;
    if (!rawOf.has(resolved)) rawOf.set(resolved, raw);
    if (quoted(resolved) !== resolved && !rawOf.has(quoted(resolved))) rawOf.set(quoted(resolved), quoted(raw));
  }
  if (rawOf.size === 0) return diagnostics;
  // A value is replaced where it stands whole, not inside a word ("key" is no reference in "secret_access_key"),
  // and in one pass, so a written form put in is never searched again.
  const word = /[A-Za-z0-9_]/;
  const alternatives = [...rawOf.keys()]
    .sort((a, b) => b.length - a.length)
    .map((value) => `${word.test(value[0]!) ? "(?<![A-Za-z0-9_])" : ""}${value.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&")}${word.test(value.at(-1)!) ? "(?![A-Za-z0-9_])" : ""}`);
  const values = new RegExp(alternatives.join("|"), "g");
  return diagnostics.map((d) => ({ ...d, message: d.message.replace(values, (value) => rawOf.get(value)!) }));
}

/**
 * `settings.state_dir` as written, read without checking anything else, so
 * commands that only need the state directory do not pay for a full load (and
 * find it even while the file has errors elsewhere). null: not set;
 * undefined: cannot be told without the full load (unparsable, or `${…}`).
 */
export function peekStateDir(text: string): string | null | undefined {
  return peekSetting(text, "state_dir");
}

/** A setting written as plain text (state_dir, rclone), read without checking the rest of the file; null: not set. */
export function peekSetting(text: string, key: "state_dir" | "rclone"): string | null | undefined {
  // Only the subset parser (synchronous); a file outside it is "cannot tell" here, and loaded in full.
  const data = parseSubset(text);
  if (!isMapping(data)) return undefined;
  if (data.settings === undefined || data.settings === null) return null;
  if (!isMapping(data.settings)) return undefined;
  const value = data.settings[key];
  if (value === undefined) return null;
  return typeof value === "string" && value !== "" && !value.includes("${") ? value : undefined;
}

/**
 * Configuration text → diagnostics and desired model. Touches nothing itself:
 * the environment, file reads and the backends of the rclone the file names
 * come in through `environment` (without `backendsOf`, the bundled table).
 *
 * A file in the YAML subset people write takes the quick path, and what it reports is
 * placed by a second, position-recording pass of the subset parser (as the exact
 * parser would place it); any other file with something to report is parsed again
 * by the exact, position-keeping parser.
 */
export async function loadConfig(file: string, text: string, environment: Environment, options: { quick?: boolean } = {}): Promise<LoadedConfig> {
  // YAML has no line break of a lone CR (classic Mac): such a file would read as one long line.
  const loneCarriageReturn = /\r(?!\n)/.exec(text);
  if (loneCarriageReturn) {
    const line = text.slice(0, loneCarriageReturn.index).split("\n").length;
    return { diagnostics: [{ severity: "error", message: messages.loneCarriageReturns(), file, line, column: 1 }], config: null, referencedFiles: [], referencedVariables: [], referencedCredentials: [] };
  }
  // Loaded when needed: the generated validator is large, and commands that only peek never need it.
  const { checkSchema } = await import("./schema-check.js");
  const quick = new References(environment);
  const quickly = options.quick === false ? undefined : fastParse(text, quick.resolve, interpolates);
  if (quickly && isMapping(quickly.value)) {
    const later = new PlacedLater();
    const result = analyse(checkSchema, quickly.value, later, quick, await backendsFor(environment, quickly.value), environment);
    const referenced = { referencedFiles: [...quick.files], referencedVariables: [...quick.variables], referencedCredentials: [...quick.credentials] };
    if (result.diagnostics.length === 0) return { diagnostics: [], config: result.config, ...referenced };
    const places = placesIn(file, text);
    const placed = places && later.placed(result.diagnostics, places);
    if (placed) return { diagnostics: sortDiagnostics(unresolveAll(placed, quick)), config: hasErrors(placed) ? null : result.config, ...referenced };
  }

  // Loaded only now: the position-keeping parser is large, and valid files never need it.
  const { parseSource } = await import("./source.js");
  const references = new References(environment);
  const parsed = parseSource(file, text, references.resolve, interpolates);
  const { map } = parsed;
  const diagnostics = [...parsed.diagnostics];
  let config: DesiredConfig | null = null;
  if (parsed.value === null) diagnostics.push(map.diagnosticAt("error", messages.empty(), [0, 0]));
  else if (parsed.value !== undefined && !isMapping(parsed.value)) {
    const found = Array.isArray(parsed.value) ? "a list" : `the value ${JSON.stringify(parsed.value)}`;
    diagnostics.push(map.diagnostic("error", messages.notAMapping(found), ""));
  } else if (parsed.value !== undefined) {
    const result = analyse(checkSchema, parsed.value, map, references, await backendsFor(environment, parsed.value), environment);
    diagnostics.push(...result.diagnostics);
    config = result.config;
  }
  return {
    diagnostics: sortDiagnostics(unresolveAll(diagnostics, references)),
    config: hasErrors(diagnostics) ? null : config,
    referencedFiles: [...references.files],
    referencedVariables: [...references.variables],
    referencedCredentials: [...references.credentials],
  };
}
