import { BACKENDS } from "./generated/backends.js";
import type { Backend } from "./backend-types.js";

export interface FoundBackend extends Backend {
  /** rclone's canonical name for the backend. */
  name: string;
  /** Data can be read from it but never written (a push to it cannot work). */
  readOnly: boolean;
}

const READ_ONLY = new Set(["http"]);

const BY_ALIAS = new Map<string, FoundBackend>();
for (const [name, backend] of Object.entries(BACKENDS)) {
  for (const alias of backend.aliases) BY_ALIAS.set(alias, { name, readOnly: READ_ONLY.has(name), ...backend });
}

/** The backend a credential's `type` names (canonical name or rclone prefix). */
export function findBackend(type: string): FoundBackend | undefined {
  return BY_ALIAS.get(type);
}

/** Whether the value of this credential option must never be shown. */
export function isSensitiveOption(type: string, option: string): boolean {
  return findBackend(type)?.options[option]?.sensitive === true;
}
