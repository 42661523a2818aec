import type { Document } from "yaml";
import { hasErrors, sortDiagnostics, type Diagnostic } from "./diagnostics.js";
import { interpolate, type Environment } from "./interpolate.js";
import { messages } from "./messages.js";
import type { DesiredConfig } from "./model.js";
import { normalize } from "./normalize.js";
import { checkSchema } from "./schema-check.js";
import { parseSource, type SourceMap } from "./source.js";

export type { Environment } from "./interpolate.js";

export interface LoadedConfig {
  /** Every problem found, errors and warnings, in file order. */
  diagnostics: Diagnostic[];
  /** The desired model; null when there is any error. */
  config: DesiredConfig | null;
  /** The parsed document, for edits that keep the file as written (restore --write). */
  document: Document | null;
  map: SourceMap;
  /** Files read through `${file:…}`. */
  referencedFiles: string[];
}

// Scripts belong to the shell: `${VAR}` there is the script's own business.
const isScript = (path: readonly string[]) => path.length === 3 && path[0] === "tasks" && (path[2] === "pre_script" || path[2] === "post_script");

/**
 * A message may quote a value; a value that came from `${…}` may be a secret,
 * so it is shown as the reference the user wrote instead.
 */
function unresolveAll(diagnostics: Diagnostic[], referenced: ReadonlyMap<string, { raw: string; resolved: string }>): Diagnostic[] {
  if (diagnostics.length === 0) return diagnostics;
  const values = [...referenced.values()].filter((r) => r.resolved.length >= 3).sort((a, b) => b.resolved.length - a.resolved.length);
  return diagnostics.map((d) => ({ ...d, message: values.reduce((message, { raw, resolved }) => message.split(resolved).join(raw), d.message) }));
}

/**
 * Configuration text → diagnostics and desired model. Touches nothing itself:
 * the environment and file reads come in through `environment`.
 */
export function loadConfig(file: string, text: string, environment: Environment): LoadedConfig {
  const referencedFiles: string[] = [];
  const parsed = parseSource(
    file,
    text,
    (raw, _pointer, report) => {
      const result = interpolate(raw, environment, report);
      referencedFiles.push(...result.files);
      return result;
    },
    (path) => !isScript(path),
  );
  const { map, document } = parsed;
  const diagnostics = [...parsed.diagnostics];
  const finish = (config: DesiredConfig | null): LoadedConfig => ({
    diagnostics: sortDiagnostics(unresolveAll(diagnostics, parsed.referenced)),
    config: hasErrors(diagnostics) ? null : config,
    document,
    map,
    referencedFiles: [...new Set(referencedFiles)],
  });

  if (parsed.value === undefined) return finish(null);
  if (parsed.value === null) {
    diagnostics.push(map.diagnosticAt("error", messages.empty(), [0, 0]));
    return finish(null);
  }
  if (typeof parsed.value !== "object" || Array.isArray(parsed.value)) {
    const found = Array.isArray(parsed.value) ? "a list" : `the value ${JSON.stringify(parsed.value)}`;
    diagnostics.push(map.diagnostic("error", messages.notAMapping(found), ""));
    return finish(null);
  }

  diagnostics.push(...checkSchema(parsed.value, map, parsed.unresolved));
  const normalized = normalize(parsed.value, map, parsed.referenced);
  diagnostics.push(...normalized.diagnostics);
  return finish(normalized.config);
}
