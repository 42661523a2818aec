import { hasErrors } from "../model/diagnostics.js";
import { loadFile, type Workspace } from "./workspace.js";
import type { Validation } from "../model/results.js";


/** Checks the file: syntax, schema, references, schedules, bandwidth limits, paths, interpolation. */
export async function validate(ws: Workspace): Promise<Validation> {
  const { diagnostics, config } = await loadFile(ws);
  return { valid: !hasErrors(diagnostics), diagnostics, config };
}
