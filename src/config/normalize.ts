// From the file's data to the desired model and what is wrong with it: the
// model is built (./model-builder.ts), then every rule the schema cannot
// express looks at it (./rules). Runs on data that may have failed the schema.
import type { BackendCatalog } from "../model/backends.js";
import type { DesiredConfig } from "../model/config.js";
import type { Diagnostic } from "../model/diagnostics.js";
import { buildModel } from "./model-builder.js";
import { pointerOf, type Locator } from "./pointer.js";
import { applyRules } from "./rules/index.js";
import { fields } from "./unchecked.js";

export function normalize(data: unknown, map: Locator, referenced: ReadonlyMap<string, unknown>, backends: BackendCatalog): { config: DesiredConfig; diagnostics: Diagnostic[] } {
  const { config, readings } = buildModel(data, backends);
  const diagnostics: Diagnostic[] = [];
  applyRules(
    { written: fields(data), config, readings, backends, referenced },
    {
      error: (message, path, target = "value", offset) => diagnostics.push(map.diagnostic("error", message, pointerOf(path), target, offset)),
      warn: (message, path, target = "value") => diagnostics.push(map.diagnostic("warning", message, pointerOf(path), target)),
    },
  );
  return { config, diagnostics };
}
