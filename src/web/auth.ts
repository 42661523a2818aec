// Who may use the dashboard: a token (settings.web.token, or one the service
// generates into the state directory), traded at login for a session that is
// not the token itself. Sessions outlive a restart of the service (their
// digests are kept in the state directory): logging out revokes one, a new
// token revokes them all. Failed logins slow down.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** Constant-time equality of two secrets of any lengths (their digests are compared, so no length leaks either). */
export function sameSecret(presented: string, expected: string): boolean {
  const digest = (text: string) => createHash("sha256").update(text).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

/** A session lives this long after its last use. */
const SESSION_IDLE_MS = 12 * 3_600_000;
/** A session's use is written down again once it has moved its expiry on by this much (not on every request). */
const REWRITE_AFTER_MS = 3_600_000;

/** Where sessions are kept between restarts (their ids' digests and expiries). */
export interface SessionKeeping {
  load(): Record<string, number>;
  save(sessions: Record<string, number>): void;
}

const digestOf = (id: string) => createHash("sha256").update(id).digest("base64url");

export class Sessions {
  readonly #expiry: Map<string, number>;
  /** The expiries as last written down. */
  readonly #kept: Map<string, number>;

  constructor(
    private readonly now: () => number,
    private readonly keeping: SessionKeeping | null = null,
  ) {
    const loaded = Object.entries(keeping?.load() ?? {}).filter(([, expires]) => expires > now());
    this.#expiry = new Map(loaded);
    this.#kept = new Map(loaded);
  }

  create(): string {
    const id = randomBytes(32).toString("base64url");
    this.#expiry.set(digestOf(id), this.now() + SESSION_IDLE_MS);
    this.#save();
    return id;
  }

  /** Whether `id` is a live session; using it keeps it alive. */
  valid(id: string | undefined): boolean {
    if (id === undefined) return false;
    const key = digestOf(id);
    const expires = this.#expiry.get(key);
    if (expires === undefined) return false;
    if (expires <= this.now()) {
      this.#expiry.delete(key);
      this.#save();
      return false;
    }
    const next = this.now() + SESSION_IDLE_MS;
    this.#expiry.set(key, next);
    if (next - (this.#kept.get(key) ?? 0) > REWRITE_AFTER_MS) this.#save();
    return true;
  }

  revoke(id: string | undefined): void {
    if (id !== undefined && this.#expiry.delete(digestOf(id))) this.#save();
  }

  revokeAll(): void {
    this.#expiry.clear();
    this.#save();
  }

  #save(): void {
    if (!this.keeping) return;
    const now = this.now();
    for (const [key, expires] of this.#expiry) if (expires <= now) this.#expiry.delete(key);
    this.keeping.save(Object.fromEntries(this.#expiry));
    this.#kept.clear();
    for (const [key, expires] of this.#expiry) this.#kept.set(key, expires);
  }
}

/** Failed logins a client may make at once; after them it waits a second, doubling with each further failure, up to five minutes. */
const FREE_FAILURES = 5;
const FIRST_WAIT_MS = 1_000;
const LONGEST_WAIT_MS = 300_000;
/** Clients remembered at most (an attacker rotating addresses only fills this). */
const CLIENTS_KEPT = 1_000;

export class LoginThrottle {
  readonly #clients = new Map<string, { failures: number; until: number }>();

  constructor(private readonly now: () => number) {}

  /** Milliseconds `client` must still wait before its next try; 0: it may try now. */
  wait(client: string): number {
    const entry = this.#clients.get(client);
    return entry ? Math.max(0, entry.until - this.now()) : 0;
  }

  failed(client: string): void {
    const failures = (this.#clients.get(client)?.failures ?? 0) + 1;
    const wait = failures < FREE_FAILURES ? 0 : Math.min(LONGEST_WAIT_MS, FIRST_WAIT_MS * 2 ** (failures - FREE_FAILURES));
    this.#clients.delete(client);
    this.#clients.set(client, { failures, until: this.now() + wait });
    if (this.#clients.size > CLIENTS_KEPT) this.#clients.delete(this.#clients.keys().next().value!);
  }

  succeeded(client: string): void {
    this.#clients.delete(client);
  }
}
