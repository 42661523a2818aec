// The dashboard's way in when settings.web.token is not set: a token the
// service generates into the state directory (mode 0600, readable by whoever
// may read the state, which already holds every secret), and where the
// service serves the page, so that `cloudsync dashboard` can print the login link.
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { readOwnFile, replaceFile } from "./private-files.js";

const TOKEN_FILE = "dashboard.token";
const ADDRESS_FILE = "dashboard.json";
const SESSIONS_FILE = "dashboard.sessions";

/** A small file of ours that no one else may read either (it holds a token); null otherwise. */
const readPrivate = (path: string): string | null => readOwnFile(path, { limit: 4096, secret: true })?.toString("utf8") ?? null;

const writePrivate = (path: string, text: string) => replaceFile(path, text, { mode: 0o600 });

/** The generated token: the one kept in the state directory, or a new one written there. */
export function generatedDashboardToken(stateDir: string): string {
  const path = join(stateDir, TOKEN_FILE);
  const kept = readPrivate(path)?.trim();
  if (kept && /^[A-Za-z0-9_-]{32,}$/.test(kept)) return kept;
  const token = randomBytes(32).toString("base64url");
  writePrivate(path, `${token}\n`);
  return token;
}

export interface DashboardAddress {
  /** Where the page is served, e.g. http://127.0.0.1:8080. */
  url: string;
  /** The service's pid, so that a link of a stopped service is not given as live. */
  pid: number;
}

export function recordDashboardAddress(stateDir: string, address: DashboardAddress): void {
  writePrivate(join(stateDir, ADDRESS_FILE), `${JSON.stringify(address)}\n`);
}

export function forgetDashboardAddress(stateDir: string): void {
  rmSync(join(stateDir, ADDRESS_FILE), { force: true });
}

/** Where a service said it serves the page, and the generated token if that is the one in use. */
export function dashboardAccess(stateDir: string): { address: DashboardAddress | null; token: string | null } {
  let address: DashboardAddress | null = null;
  try {
    const parsed = JSON.parse(readPrivate(join(stateDir, ADDRESS_FILE)) ?? "null") as DashboardAddress | null;
    if (parsed && typeof parsed.url === "string" && Number.isInteger(parsed.pid)) address = parsed;
  } catch {
    // a file that is not ours, or not JSON: no address
  }
  const token = readPrivate(join(stateDir, TOKEN_FILE))?.trim() ?? null;
  return { address, token: token && /^[A-Za-z0-9_-]{32,}$/.test(token) ? token : null };
}

/** Logged-in sessions kept across restarts of the service: digests of their ids (never the ids) and when each expires. */
export interface SessionFile {
  /** The sessions made with the token whose digest is `madeWith`; none if they were made with another. */
  load(madeWith: string): Record<string, number>;
  save(madeWith: string, sessions: Record<string, number>): void;
}

export function dashboardSessions(stateDir: string): SessionFile {
  const path = join(stateDir, SESSIONS_FILE);
  return {
    load: (madeWith) => {
      try {
        const kept = JSON.parse(readOwnFile(path, { limit: 1024 * 1024, secret: true })?.toString("utf8") ?? "null") as { made_with?: unknown; sessions?: unknown } | null;
        if (kept?.made_with !== madeWith || typeof kept.sessions !== "object" || kept.sessions === null) return {};
        return Object.fromEntries(Object.entries(kept.sessions).filter((entry): entry is [string, number] => typeof entry[1] === "number"));
      } catch {
        return {};
      }
    },
    save: (madeWith, sessions) => writePrivate(path, `${JSON.stringify({ made_with: madeWith, sessions })}\n`),
  };
}
