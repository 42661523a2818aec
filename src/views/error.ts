import type { Diagnostic } from "../model/diagnostics.js";
import { ConfigError, UserError } from "../errors.js";

/** Any failure with --json (and from the web API): SPEC's `{"error": {"message", "hint"}, "diagnostics"}`. */
export function errorJson(error: UserError) {
  const diagnostics: readonly Diagnostic[] | null = error instanceof ConfigError ? error.diagnostics : null;
  return { error: { message: error.message, hint: error.hint ?? null }, diagnostics };
}
