import type { Diagnostic } from "../config/diagnostics.js";
import { hasErrors } from "../config/diagnostics.js";
import type { DesiredConfig } from "../config/model.js";
import { loadFile, type Workspace } from "./workspace.js";

export interface Validation {
  valid: boolean;
  diagnostics: Diagnostic[];
  config: DesiredConfig | null;
}

/** Checks the file: syntax, schema, references, schedules, bandwidth limits, paths, interpolation. */
export async function validate(ws: Workspace): Promise<Validation> {
  const { diagnostics, config } = await loadFile(ws);
  return { valid: !hasErrors(diagnostics), diagnostics, config };
}
