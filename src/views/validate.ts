import type { Validation } from "../model/results.js";

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** `validate --json`. */
export function validateJson(result: Validation) {
  return { valid: result.valid, diagnostics: result.diagnostics };
}

/** The closing line of `validate` for people (the diagnostics are printed before it). */
export function validateSummary(result: Validation, configName: string): { line: string; ok: boolean } {
  if (result.config) return { ok: true, line: `${configName} is valid: ${plural(Object.keys(result.config.credentials).length, "credential")}, ${plural(Object.keys(result.config.tasks).length, "task")}.` };
  return { ok: false, line: `${configName}: ${plural(result.diagnostics.filter((d) => d.severity === "error").length, "error")}; nothing was changed.` };
}
