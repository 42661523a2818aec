import { BACKENDS, BUNDLED_RCLONE_VERSION } from "./generated/backends.js";
import type { Backend, BackendTable } from "./backend-types.js";
import { isSensitiveName } from "./rclone-providers.js";

export interface FoundBackend extends Backend {
  /** rclone's canonical name for the backend. */
  name: string;
  /** Data can be read from it but never written (a push to it cannot work). */
  readOnly: boolean;
}

const READ_ONLY = new Set(["http"]);

/** The backends and options of one rclone version, looked up by any name `type:` accepts. */
export class BackendCatalog {
  private readonly byAlias = new Map<string, FoundBackend>();

  constructor(
    table: BackendTable,
    /** The rclone version the table describes (`1.60.1`). */
    readonly rcloneVersion: string,
  ) {
    for (const [name, backend] of Object.entries(table)) {
      for (const alias of backend.aliases) this.byAlias.set(alias, { name, readOnly: READ_ONLY.has(name), ...backend });
    }
  }

  /** The backend a credential's `type` names (canonical name or rclone prefix). */
  find(type: string): FoundBackend | undefined {
    return this.byAlias.get(type);
  }

  /** Every name `type:` accepts. */
  typeNames(): string[] {
    return [...this.byAlias.keys()];
  }
}

/** The table generated from the rclone cloudsync was built against; used when the installed rclone cannot say. */
export const BUNDLED_BACKENDS = new BackendCatalog(BACKENDS, BUNDLED_RCLONE_VERSION);

/** The backend a credential's `type` names, in `catalog` (by default the bundled one). */
export function findBackend(type: string, catalog: BackendCatalog = BUNDLED_BACKENDS): FoundBackend | undefined {
  return catalog.find(type);
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
 * password), `headers`, and any URL with a password in it. The name rule
 * covers options of a newer rclone that the catalog at hand does not know.
 */
export function isSensitiveOption(type: string, option: string, value?: unknown, catalog: BackendCatalog = BUNDLED_BACKENDS): boolean {
  if (catalog.find(type)?.options[option]?.sensitive === true) return true;
  if (typeof value === "boolean") return false;
  return isSensitiveName(option) || (typeof value === "string" && urlPassword(value) !== undefined);
}
