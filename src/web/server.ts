// The dashboard: the Cloud Sync Tasks screens for a config-as-code world,
// served by `watch`. Every answer comes from the operations layer and the
// JSON views the CLI prints; the page edits nothing but what restore adds.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { gzipSync } from "node:zlib";
import assets from "virtual:web-assets";
import { abort } from "../app/abort.js";
import { appliedTask, dashboardFleet, dashboardStatus, readOnly, serviceHealth, taskDetail, type ServeDashboard } from "../app/dashboard.js";
import { historyIn, limitOf } from "../app/history.js";
import { findRunIn, readLog } from "../app/logs.js";
import { listRemote, verifyCredential } from "../app/remotes.js";
import { restore } from "../app/restore.js";
import { approve, fileAt, folderAt, restoreAt } from "../app/versions.js";
import { CannotServeError, ConflictError, NotFoundError, UserError } from "../errors.js";
import { isLoopback, listenAddress } from "../model/address.js";
import { restoreModeOf } from "../model/restore.js";
import { limitConnections, listenOn } from "../net/listen.js";
import { abortJson, dashboardStatusJson, healthJson, startedJson, taskDetailJson } from "../views/dashboard.js";
import { errorJson } from "../views/error.js";
import { fleetJson } from "../views/fleet.js";
import { eventJson } from "../views/events.js";
import { historyJson } from "../views/history.js";
import { listingJson, verificationJson } from "../views/remotes.js";
import { restoreJson } from "../views/restore.js";
import { approvalJson, folderAtJson, restoreAtJson } from "../views/versions.js";
import { LoginThrottle, sameSecret, Sessions } from "./auth.js";
import { cookies, fromThisSite, HttpError, readBody, Router, send, sendJson, SECURITY_HEADERS, type Params } from "./http.js";
import { loginPage, pageShell } from "./pages.js";

const COOKIE = "cloudsync_session";
/** What the event stream holds for a page that does not read, at most. */
const STREAM_BUFFER_LIMIT = 1024 * 1024;
/** Connections at once: a few browsers and API clients, never the process's last file descriptors. */
const MAX_CONNECTIONS = 128;

/** Assets compressed once, when first asked for; an ETag lets a browser keep them until cloudsync changes. */
const compressed = new Map<string, Buffer>();
const ETAG = `"${createHash("sha256").update(assets.js).update(assets.css).digest("hex").slice(0, 16)}"`;
function asset(response: ServerResponse, request: IncomingMessage, name: "js" | "css"): void {
  const type = name === "js" ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
  const headers = { "content-type": type, "cache-control": "no-cache", etag: ETAG };
  if (request.headers["if-none-match"] === ETAG) return send(response, 304, "", headers);
  const gzip = /\bgzip\b/.test(String(request.headers["accept-encoding"] ?? ""));
  if (!gzip) return send(response, 200, assets[name], headers);
  let body = compressed.get(name);
  if (!body) compressed.set(name, (body = gzipSync(assets[name], { level: 9 })));
  send(response, 200, body, { ...headers, "content-encoding": "gzip", vary: "accept-encoding" });
}

/** A query parameter the request must have. */
function query(url: URL, name: string): string {
  const value = url.searchParams.get(name);
  if (value === null || value === "") throw new HttpError(400, `say ${name}: ?${name}=…`);
  return value;
}

/** The HTTP status a user's error answers with. */
function statusOfError(error: UserError): number {
  if (error instanceof HttpError) return error.status;
  if (error instanceof NotFoundError) return 404;
  if (error instanceof ConflictError) return 409;
  return 400;
}

/** Serves the dashboard on `address` until closed. */
export const serveDashboard: ServeDashboard = async (address, host) => {
  const where = listenAddress(address);
  if (!where) throw new CannotServeError(`cannot serve the dashboard on ${address}: write host:port`);
  const configuredToken = () => host.applied().settings?.web.token ?? null;
  const token = () => configuredToken() ?? host.generatedToken;
  if (!configuredToken() && !isLoopback(where.host)) {
    throw new CannotServeError(`refusing to serve the dashboard on ${address} without settings.web.token: other machines could run and restore tasks`, "Set settings.web.token (through ${VAR}), or listen on 127.0.0.1.");
  }
  const ws = host.workspace;
  const streams = new Set<ServerResponse>();
  const now = () => ws.clock.now().getTime();
  // A new token (an edit of settings.web.token) ends every session made with the old one, also across a restart.
  let sessionsMadeWith = token();
  const tokenDigest = () => createHash("sha256").update(sessionsMadeWith).digest("base64url");
  const kept = host.sessions;
  const sessions = new Sessions(now, kept ? { load: () => kept.load(tokenDigest()), save: (all) => kept.save(tokenDigest(), all) } : null);
  const throttle = new LoginThrottle(now);
  const currentToken = () => {
    const current = token();
    if (current !== sessionsMadeWith) {
      sessions.revokeAll();
      sessionsMadeWith = current;
    }
    return current;
  };

  /** Every request carries a credential a local user cannot read: the token (API) or a session made with it (the page). */
  const authorized = (request: IncomingMessage) => {
    const expected = currentToken();
    const bearer = /^Bearer (.+)$/.exec(String(request.headers.authorization ?? ""))?.[1];
    if (bearer !== undefined) return sameSecret(bearer, expected);
    return sessions.valid(cookies(request)[COOKIE]);
  };

  /** Without a token of the file's only loopback names reach the page: a DNS name pointed at 127.0.0.1 (rebinding) does not. */
  const hostAllowed = (request: IncomingMessage) => {
    if (configuredToken() !== null) return true;
    const name = String(request.headers.host ?? "").replace(/:\d+$/, "").replace(/^\[(.*)\]$/, "$1");
    return isLoopback(name);
  };

  const refuseOtherSites = (request: IncomingMessage) => {
    if (!fromThisSite(request)) throw new HttpError(403, `refused: the request comes from another site (Origin ${String(request.headers.origin)} is not ${String(request.headers.host)})`, "Actions are taken from the dashboard's own page.");
  };

  /** Logs in with `presented`: a session cookie and on to the page, or the form again (slower after each failure). */
  const logIn = (request: IncomingMessage, response: ServerResponse, presented: string) => {
    const client = request.socket.remoteAddress ?? "";
    const wait = throttle.wait(client);
    if (wait > 0) {
      send(response, 429, loginPage(`Too many wrong tokens: try again in ${Math.ceil(wait / 1000)} s.`), { "content-type": "text/html; charset=utf-8", "retry-after": String(Math.ceil(wait / 1000)) });
      return;
    }
    if (!sameSecret(presented, currentToken())) {
      throttle.failed(client);
      send(response, 403, loginPage("That token is not right."), { "content-type": "text/html; charset=utf-8" });
      return;
    }
    throttle.succeeded(client);
    const secure = String(request.headers["x-forwarded-proto"] ?? "") === "https" ? "; Secure" : "";
    send(response, 303, "", { location: "/", "set-cookie": `${COOKIE}=${sessions.create()}; HttpOnly; SameSite=Strict; Path=/${secure}` });
  };

  const json = async <T>(request: IncomingMessage): Promise<Partial<T>> => {
    const body = await readBody(request);
    if (body.trim() === "") return {};
    if (!String(request.headers["content-type"] ?? "").startsWith("application/json")) throw new HttpError(415, "actions take a JSON body (content-type: application/json)");
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch {
      throw new HttpError(400, "the request body is not JSON");
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) throw new HttpError(400, "the request body must be a JSON object");
    return value as Partial<T>;
  };

  const action = (handler: (request: IncomingMessage, params: Params) => Promise<unknown>) => async (request: IncomingMessage, response: ServerResponse, params: Params) => {
    if (readOnly(host)) throw new HttpError(403, "the dashboard is read-only (settings.web.read_only)");
    refuseOtherSites(request);
    sendJson(response, 200, await handler(request, params));
  };

  const router = new Router()
    .on("GET", "/", async (_req, res) => send(res, 200, pageShell(dashboardStatusJson(await dashboardStatus(host))), { "content-type": "text/html; charset=utf-8" }))
    .on("GET", "/assets/app.js", (req, res) => asset(res, req, "js"))
    .on("GET", "/assets/app.css", (req, res) => asset(res, req, "css"))
    .on("GET", "/api/v1/status", async (_req, res) => sendJson(res, 200, dashboardStatusJson(await dashboardStatus(host))))
    .on("GET", "/api/v1/health", async (_req, res) => sendJson(res, 200, healthJson(await serviceHealth(host))))
    .on("GET", "/api/v1/fleet", (_req, res) => sendJson(res, 200, fleetJson(dashboardFleet(host))))
    .on("GET", "/api/v1/history", (_req, res, _params, url) => {
      const limit = limitOf(url.searchParams.get("limit"), "limit") ?? 50;
      sendJson(res, 200, historyJson(historyIn(host.stateDir, { task: url.searchParams.get("task") ?? undefined, limit })));
    })
    .on("GET", "/api/v1/tasks/:task", (_req, res, { task }) => sendJson(res, 200, taskDetailJson(taskDetail(host, task))))
    .on("GET", "/api/v1/tasks/:task/runs/:run/log", (_req, res, { task, run }, url) => {
      const written = url.searchParams.get("offset") ?? "0";
      const offset = Number(written);
      if (!Number.isSafeInteger(offset) || offset < 0) throw new HttpError(400, `offset must be a whole number of at least 0, not "${written}"`);
      const ref = findRunIn(host.stateDir, task, run);
      const { chunk, offset: next } = readLog(ref, offset);
      const download = url.searchParams.has("download");
      send(res, 200, chunk, {
        "content-type": "text/plain; charset=utf-8",
        "x-log-offset": String(next),
        "x-run-state": ref.record.state,
        ...(download ? { "content-disposition": `attachment; filename="${task}-${ref.record.id}.log"` } : {}),
      });
    })
    .on("GET", "/api/v1/events", (req, res) => {
      res.writeHead(200, { ...SECURITY_HEADERS, "content-type": "text/event-stream", "cache-control": "no-store", connection: "keep-alive" });
      res.write("retry: 1000\n\n");
      streams.add(res);
      req.on("close", () => streams.delete(res));
    })
    .on(
      "POST",
      "/api/v1/tasks/:task/run",
      action(async (request, { task }) => {
        appliedTask(host, task);
        const body = await json<{ dry_run?: boolean }>(request);
        return startedJson(await host.runNow(task, body.dry_run === true));
      }),
    )
    .on(
      "POST",
      "/api/v1/tasks/:task/check",
      action(async (request, { task }) => {
        appliedTask(host, task);
        const body = await json<{ download?: boolean }>(request);
        return startedJson(await host.checkNow(task, body.download === true));
      }),
    )
    .on(
      "POST",
      "/api/v1/tasks/:task/approve",
      action(async (request, { task }) => approvalJson(await approve(ws, task, `the dashboard (from ${request.socket.remoteAddress ?? "an unknown address"})`))),
    )
    .on(
      "POST",
      "/api/v1/tasks/:task/abort",
      action(async (_request, { task }) => abortJson(await abort(ws, task))),
    )
    .on(
      "POST",
      "/api/v1/tasks/:task/restore",
      action(async (request, { task }) => {
        const body = await json<{ path?: string; transfer_mode?: string; name?: string; description?: string; write?: boolean; force?: boolean; from?: string }>(request);
        if (typeof body.path !== "string" || body.path === "") throw new HttpError(400, "say where to restore to: path");
        const mode = restoreModeOf(body.transfer_mode ?? "copy");
        if (!mode) throw new HttpError(400, "transfer_mode is copy or sync");
        const result = await restore(ws, task, { path: body.path, transferMode: mode, name: body.name || undefined, description: body.description || undefined, write: body.write === true, force: body.force === true, from: body.from || undefined });
        return restoreJson(result);
      }),
    )
    // The destination as it was at a time (versions): a folder of it, a file of it, or written into a new local directory.
    .on("GET", "/api/v1/tasks/:task/versions", async (_req, res, { task }, url) => {
      sendJson(res, 200, folderAtJson(await folderAt(ws, task, { at: query(url, "at"), path: url.searchParams.get("path") ?? undefined, from: url.searchParams.get("from") ?? undefined })));
    })
    .on("GET", "/api/v1/tasks/:task/versions/file", async (_req, res, { task }, url) => {
      const { file, name, done } = await fileAt(ws, task, { at: query(url, "at"), path: query(url, "path"), from: url.searchParams.get("from") ?? undefined });
      res.writeHead(200, { ...SECURITY_HEADERS, "cache-control": "no-store", "content-type": "application/octet-stream", "content-disposition": `attachment; filename="${name.replace(/["\\\r\n]/g, "_")}"` });
      const stream = createReadStream(file);
      stream.on("close", done);
      stream.pipe(res);
    })
    .on(
      "POST",
      "/api/v1/tasks/:task/restore-at",
      action(async (request, { task }) => {
        const body = await json<{ at?: string; path?: string; to?: string; from?: string; dry_run?: boolean }>(request);
        if (typeof body.at !== "string" || typeof body.to !== "string" || body.to === "") throw new HttpError(400, "say when and where to: at, to");
        return restoreAtJson(await restoreAt(ws, task, { at: body.at, to: body.to, path: body.path || undefined, from: body.from || undefined, dryRun: body.dry_run === true }));
      }),
    )
    // A folder of the task's remote, for choosing what to restore (names decrypted).
    .on("GET", "/api/v1/tasks/:task/browse", async (_req, res, { task }, url) => {
      sendJson(res, 200, listingJson(await listRemote(ws, { task, destination: url.searchParams.get("from") ?? undefined, path: url.searchParams.get("path") ?? undefined })));
    })
    .on(
      "POST",
      "/api/v1/credentials/:name/verify",
      action(async (_request, { name }) => verificationJson(await verifyCredential(ws, name))),
    )
    // The link `cloudsync dashboard` prints carries the token: traded for a session at once, and gone from the address bar.
    .on("GET", "/login", (req, res, _params, url) => {
      const presented = url.searchParams.get("token");
      if (presented === null) send(res, 200, loginPage(null), { "content-type": "text/html; charset=utf-8" });
      else logIn(req, res, presented);
    })
    .on("POST", "/login", async (req, res) => {
      if (!fromThisSite(req)) {
        send(res, 403, loginPage(`Refused: the form was sent from another site (Origin ${String(req.headers.origin)}).`), { "content-type": "text/html; charset=utf-8" });
        return;
      }
      logIn(req, res, new URLSearchParams(await readBody(req)).get("token") ?? "");
    })
    .on("POST", "/logout", (req, res) => {
      refuseOtherSites(req);
      sessions.revoke(cookies(req)[COOKIE]);
      send(res, 303, "", { location: "/login", "set-cookie": `${COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0` });
    });

  // A page that stops reading (a stalled network) is let go rather than buffered for without end: it
  // reconnects by itself and fetches the state afresh.
  const broadcast = (data: string) => {
    for (const stream of streams) {
      if (stream.writableLength > STREAM_BUFFER_LIMIT) {
        streams.delete(stream);
        stream.destroy();
      } else stream.write(data);
    }
  };
  const unsubscribe = ws.events.subscribe((event) => {
    if (streams.size > 0) broadcast(`event: ${event.type}\ndata: ${JSON.stringify(eventJson(event))}\n\n`);
  });
  const keepAlive = setInterval(() => broadcast(": keep-alive\n\n"), 15_000);
  keepAlive.unref();

  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://dashboard");
    const respond = async () => {
      if (!hostAllowed(request)) throw new HttpError(421, "this dashboard answers to loopback addresses only");
      const open = url.pathname === "/login" || url.pathname === "/logout" || url.pathname.startsWith("/assets/");
      if (!open && !authorized(request)) {
        if (url.pathname.startsWith("/api/")) throw new HttpError(401, "a token is needed: log in, or send Authorization: Bearer TOKEN");
        send(response, 303, "", { location: "/login" });
        return;
      }
      const found = router.match(request.method ?? "GET", url.pathname);
      if ("allowed" in found) throw found.allowed.length > 0 ? new HttpError(405, `${request.method} is not allowed here`) : new HttpError(404, `nothing at ${url.pathname}`);
      await found.handler(request, response, found.params, url);
    };
    respond().catch((error: unknown) => {
      if (response.headersSent) return response.end();
      if (error instanceof UserError) sendJson(response, statusOfError(error), errorJson(error));
      else sendJson(response, 500, errorJson(new UserError(`internal error: ${error instanceof Error ? error.message : String(error)}`)));
    });
  });
  limitConnections(server, MAX_CONNECTIONS);
  const url = await listenOn(server, address, "the dashboard");
  // After listening, a failure to accept (no file descriptor left) is passing: the server goes on.
  server.on("error", (error) => ws.events.emit({ type: "notice", level: "warning", message: `the dashboard: ${error.message}` }));
  return {
    address,
    url,
    close: async () => {
      unsubscribe();
      clearInterval(keepAlive);
      for (const stream of streams) stream.end();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
