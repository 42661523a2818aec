import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { networkInterfaces } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChannelSpec } from "../../src/model/config.js";
import { deliver, smtpOptions } from "../../src/notify/deliver.js";
import type { Notification } from "../../src/notify/payloads.js";
import { smtpReceiver } from "../helpers/receivers.js";

const n: Notification = { event: "failure", task: "photos", host: "nas", message: "Run r1 of photos: FAILED", run: { id: "r1", state: "FAILED" }, diagnostics: null, cloudsync_version: "1.0.0", log_tail: [] };
const context = { env: {}, secrets: [], redact: (text: string) => text, attemptTimeoutMs: 2000, backoffMs: [0, 0] };
const seen: { url: string; method: string; token: string | undefined }[] = [];
let base = "";
const server = createServer((request: IncomingMessage, response) => {
  seen.push({ url: request.url!, method: request.method!, token: request.headers["x-token"] as string | undefined });
  const status = Number(/^\/redirect\/(\d+)/.exec(request.url!)?.[1] ?? 0);
  if (status) response.writeHead(status, { location: "http://elsewhere.invalid/collect?key=1" }).end();
  else response.writeHead(200).end("ok");
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const webhook = (url: string): ChannelSpec => ({ type: "webhook", events: ["failure"], url, headers: { "X-Token": "secret-token" }, token: null, priority: null, smtp: null, user: null, password: null, from: null, to: [], command: null });

describe("delivery over HTTP", () => {
  it("posts to the channel's URL with its headers", async () => {
    expect(await deliver(webhook(`${base}/hook`), n, context)).toEqual({ ok: true, value: { attempts: 1 } });
    expect(seen.at(-1)).toEqual({ url: "/hook", method: "POST", token: "secret-token" });
  });

  it("does not follow a redirect (the headers would go along, a 302 makes the POST a GET): a failure that says where to point the channel", async () => {
    for (const status of [301, 302, 307, 308]) {
      seen.length = 0;
      const result = await deliver(webhook(`${base}/redirect/${status}`), n, context);
      expect(result, String(status)).toEqual({ ok: false, reason: `${base}/… answered HTTP ${status}, a redirect to http://elsewhere.invalid/…, which is not followed: set the channel's url to the final address (1 attempt)`, retryable: expect.anything() });
      // One request, to the channel's own address only.
      expect(seen.map((s) => s.url)).toEqual([`/redirect/${status}`]);
    }
  });
});

describe("delivery by mail", () => {
  const mail = (smtp: string, user: string | null) => ({ smtp, user, password: user && "pw" });
  it("sends a password over plain smtp:// only to this machine; beyond it STARTTLS is required", () => {
    expect(smtpOptions(mail("smtp://mail.example.com", "alerts"), 1000)).toMatchObject({ host: "mail.example.com", port: 587, secure: false, requireTLS: true });
    for (const host of ["127.0.0.1", "localhost", "[::1]"]) expect(smtpOptions(mail(`smtp://${host}:25`, "alerts"), 1000).requireTLS, host).toBe(false);
    // Nothing to protect: no login.
    expect(smtpOptions(mail("smtp://mail.example.com", null), 1000).requireTLS).toBe(false);
    expect(smtpOptions(mail("smtps://mail.example.com", "alerts"), 1000)).toMatchObject({ port: 465, secure: true, requireTLS: false });
  });
});

describe("delivery by mail to a real server that offers no STARTTLS", () => {
  // An address of this machine beyond loopback, to stand for a server elsewhere.
  const outside = Object.values(networkInterfaces()).flat().find((a) => a && a.family === "IPv4" && !a.internal)?.address;

  it("keeps the password from a server beyond this machine, and sends to one on loopback", async (test) => {
    if (!outside) return test.skip();
    const server = await smtpReceiver({ user: "alerts", pass: "pw", host: "0.0.0.0" });
    try {
      const channel = (host: string): ChannelSpec => ({ ...webhook(""), type: "email", url: null, headers: {}, smtp: `smtp://${host}:${server.port}`, user: "alerts", password: "pw", from: "cloudsync@example.com", to: ["ops@example.com"] });
      const refused = await deliver(channel(outside), n, context);
      expect(refused.ok).toBe(false);
      expect(server.mails).toEqual([]);
      expect(await deliver(channel("127.0.0.1"), n, context)).toMatchObject({ ok: true });
      expect(server.mails).toHaveLength(1);
    } finally {
      await server.close();
    }
  });
});
