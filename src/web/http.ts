// The small HTTP toolkit the dashboard needs: a router, JSON and text
// answers, request bodies, cookies. node:http underneath; nothing else.
import type { IncomingMessage, ServerResponse } from "node:http";
import { gzipSync } from "node:zlib";

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
      return { handler: route.handler, params: Object.fromEntries(route.names.map((name, i) => [name, decodeURIComponent(found[i + 1]!)])) as Params };
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
    if (size > MAX_BODY_BYTES) throw new Error("the request body is too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export function cookies(request: IncomingMessage): Record<string, string> {
  return Object.fromEntries(
    String(request.headers.cookie ?? "")
      .split(";")
      .map((part) => part.trim().split("="))
      .filter((pair) => pair.length >= 2 && pair[0] !== "")
      .map(([name, ...value]) => [name!, decodeURIComponent(value.join("="))]),
  );
}
