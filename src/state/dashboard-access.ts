// The dashboard's way in when settings.web.token is not set: a token the
// service generates into the state directory (mode 0600, readable by whoever
// may read the state, which already holds every secret), and where the
// service serves the page, so that `cloudsync dashboard` can print the login link.
import { randomBytes } from "node:crypto";
import { closeSync, constants, fstatSync, openSync, readSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const TOKEN_FILE = "dashboard.token";
const ADDRESS_FILE = "dashboard.json";

/** A small file of ours: a regular file, owned by this user, that no one else may read or write; null otherwise. */
function readPrivate(path: string): string | null {
  let fd: number;
  try {
    // Never blocks on a FIFO, never follows a link planted in its place.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  } catch {
    return null;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.uid !== process.getuid?.() || (stat.mode & 0o077) !== 0 || stat.size > 4096) return null;
    const buffer = Buffer.alloc(stat.size);
    return buffer.subarray(0, readSync(fd, buffer, 0, buffer.length, 0)).toString("utf8");
  } finally {
    closeSync(fd);
  }
}

/** Writes `text` to `path` by a temporary file made exclusively (never through a link) and renamed over it. */
function writePrivate(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    writeFileSync(temporary, text, { mode: 0o600, flag: "wx" });
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

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
