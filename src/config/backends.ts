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

/** `scheme://user:password@host…`: the password between the colon and the @. */
const URL_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:([^/\s@]+)@/i;

/** The password in a URL with `user:password@`, if there is one. */
export function urlPassword(value: string): string | undefined {
  return URL_PASSWORD.exec(value)?.[1];
}

/**
 * Whether the value of a credential option must never be shown: rclone's
 * password options, options named for a secret (token, key, secret,
 * password), `headers`, and any URL with a password in it.
 */
export function isSensitiveOption(type: string, option: string, value?: unknown): boolean {
  if (findBackend(type)?.options[option]?.sensitive === true) return true;
  return typeof value === "string" && urlPassword(value) !== undefined;
}
