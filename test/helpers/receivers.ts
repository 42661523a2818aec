// Real peers for notification tests, on 127.0.0.1: an HTTP receiver (webhooks,
// Slack, Discord, ntfy, healthchecks) and an SMTP server.
import { createServer, type IncomingHttpHeaders } from "node:http";
import { SMTPServer } from "smtp-server";
import { awaitValue } from "./wait.js";

export interface Received {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

/** An HTTP server that records every request and answers `status` (200 unless told otherwise). */
export async function httpReceiver() {
  const requests: Received[] = [];
  let status = 200;
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      const url = new URL(request.url ?? "/", "http://127.0.0.1");
      requests.push({ method: request.method ?? "", path: url.pathname, query: url.searchParams, headers: request.headers, body });
      response.writeHead(status, { "content-type": "text/plain" }).end(status < 300 ? "OK" : "no");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.address() as { port: number }).port;
  return {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    requests,
    answer: (code: number) => (status = code),
    /** The first request matching, once it has arrived. */
    waitFor: (match: (r: Received) => boolean, what: string, timeoutMs = 15_000) => awaitValue(() => requests.find(match), what, timeoutMs),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface Mail {
  from: string;
  to: string[];
  user: string | null;
  data: string;
}

/** An SMTP server that takes every message (login `user`/`pass` when given), optionally over TLS. */
export async function smtpReceiver(options: { user?: string; pass?: string; secure?: boolean; key?: string; cert?: string; host?: string } = {}) {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    secure: options.secure === true,
    key: options.key,
    cert: options.cert,
    // Plain SMTP in the tests unless TLS is asked for: no STARTTLS without a certificate.
    disabledCommands: options.key ? [] : ["STARTTLS"],
    authOptional: options.user === undefined,
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      if (auth.username === options.user && auth.password === options.pass) callback(null, { user: auth.username });
      else callback(new Error("Invalid username or password"));
    },
    onData(stream, session, callback) {
      let data = "";
      stream.on("data", (chunk: Buffer) => (data += chunk.toString()));
      stream.on("end", () => {
        mails.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "", to: session.envelope.rcptTo.map((r) => r.address), user: (session.user as string | undefined) ?? null, data });
        callback();
      });
    },
    logger: false,
  });
  await new Promise<void>((resolve) => server.listen(0, options.host ?? "127.0.0.1", () => resolve()));
  const port = (server.server.address() as { port: number }).port;
  return {
    port,
    mails,
    waitFor: (match: (m: Mail) => boolean, what: string) => awaitValue(() => mails.find(match), what, 15_000),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
