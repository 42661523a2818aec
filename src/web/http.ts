// The small HTTP toolkit the dashboard needs: a router, JSON and text
// answers, request bodies, cookies, limits. node:http underneath; nothing else.
import type { IncomingMessage, ServerResponse } from "node:http";
import { gzipSync } from "node:zlib";
import { UserError } from "../errors.js";

/** A failure with its HTTP status: the client's mistake (4xx), said as such. */
export class HttpError extends UserError {
  constructor(
    readonly status: number,
    message: string,
    hint?: string,
  ) {
    super(message, hint);
  }
}


/** The names routes use for their parts (`:task`, `:run`, `:name`); a route fills those it has. */
export type Params = Record<"task" | "run" | "name", string>;

export type Handler = (request: IncomingMessage, response: ServerResponse, params: Params, url: URL) => Promise<void> | void;

interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: Handler;
}

/** `GET /api/v1/tasks/:task` style routes; names match [^/]+. */
export class Router {
  private readonly routes: Route[] = [];

  on(method: string, path: string, handler: Handler): this {
    const names: string[] = [];
    const pattern = new RegExp(`^${path.replace(/:([a-z_]+)/g, (_, name: string) => (names.push(name), "([^/]+)"))}$`);
    this.routes.push({ method, pattern, names, handler });
    return this;
  }

  /** The handler for a request and its parameters; `allowed` lists the methods the path takes when the method does not match. */
  match(method: string, pathname: string): { handler: Handler; params: Params } | { allowed: string[] } {
    const allowed: string[] = [];
    for (const route of this.routes) {
      const found = route.pattern.exec(pathname);
      if (!found) continue;
      if (route.method !== method) {
        allowed.push(route.method);
        continue;
      }
      const params: Record<string, string> = {};
      for (const [i, name] of route.names.entries()) {
        try {
          params[name] = decodeURIComponent(found[i + 1]!);
        } catch {
          throw new HttpError(400, `the address has a broken %-escape: ${pathname}`);
        }
      }
      return { handler: route.handler, params: params as Params };
    }
    return { allowed };
  }
}

const SECURITY_HEADERS = {
  "x-content-type-options": "nosniff",
  // same-origin, not no-referrer: with no-referrer a browser sends "Origin: null" on its own form posts.
  "referrer-policy": "same-origin",
  "x-frame-options": "DENY",
  "content-security-policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
};

/** Bodies smaller than this go as they are; larger ones gzipped when the client takes it (the list of 1,000 tasks is ~340 KB of JSON). */
const GZIP_FROM_BYTES = 8 * 1024;

export function send(response: ServerResponse, status: number, body: string | Buffer, headers: Record<string, string> = {}): void {
  const bytes = typeof body === "string" ? Buffer.from(body) : body;
  const accepts = /\bgzip\b/.test(String(response.req?.headers["accept-encoding"] ?? ""));
  const compress = accepts && bytes.length >= GZIP_FROM_BYTES && !headers["content-encoding"];
  response.writeHead(status, { ...SECURITY_HEADERS, "cache-control": "no-store", ...headers, ...(compress ? { "content-encoding": "gzip", vary: "accept-encoding" } : {}) });
  response.end(compress ? gzipSync(bytes, { level: 4 }) : bytes);
}

export function sendJson(response: ServerResponse, status: number, value: unknown): void {
  send(response, status, `${JSON.stringify(value)}\n`, { "content-type": "application/json; charset=utf-8" });
}

export { SECURITY_HEADERS };

const MAX_BODY_BYTES = 64 * 1024;

/** A request's body as text, at most 64 KiB. */
export async function readBody(request: IncomingMessage): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `the request body is larger than ${MAX_BODY_BYTES / 1024} KiB`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

const decodeOrKeep = (text: string) => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};

export function cookies(request: IncomingMessage): Record<string, string> {
  return Object.fromEntries(
    String(request.headers.cookie ?? "")
      .split(";")
      .map((part) => part.trim().split("="))
      .filter((pair) => pair.length >= 2 && pair[0] !== "")
      .map(([name, ...value]) => [name!, decodeOrKeep(value.join("="))]),
  );
}

/** host[:port] without the scheme's default port, lower case: how two addresses of one site compare. */
function siteOf(host: string, defaultPorts = [":80", ":443"]): string {
  const lower = host.toLowerCase();
  const port = defaultPorts.find((p) => lower.endsWith(p));
  return port ? lower.slice(0, -port.length) : lower;
}

/**
 * Whether a browser's request comes from the page this server serves: its Origin's host is the
 * Host it asked for, or the host a reverse proxy says it forwarded (a page elsewhere can set
 * neither). The scheme is not compared: behind an HTTPS proxy the page is https and this server http.
 */
export function fromThisSite(request: IncomingMessage): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return false;
  }
  const forwarded = String(request.headers["x-forwarded-host"] ?? "")
    .split(",")
    .map((h) => h.trim())
    .filter(Boolean);
  return [String(request.headers.host ?? ""), ...forwarded].some((candidate) => candidate !== "" && siteOf(candidate) === siteOf(host));
}
