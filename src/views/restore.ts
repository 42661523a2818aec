import type { RestoreResult } from "../model/results.js";

/** `restore --json`, and the web API's restore. */
export const restoreJson = (result: RestoreResult) => ({ name: result.name, entry: result.entry, written: result.written });
