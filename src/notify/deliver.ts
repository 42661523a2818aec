// Delivering one notification through one channel: bounded (3 attempts of at
// most 10 s each, with a short backoff), and shaped as a result, never thrown.
import { setTimeout as sleep } from "node:timers/promises";
import type { ChannelSpec } from "../model/config.js";
import { isLoopback } from "../model/address.js";
import { runProcess } from "../process/run.js";
import { fail, ok, type Result } from "../result.js";
import { withoutSecrets, type Redact } from "../secrets/secrets.js";
import { displayUrl, httpRequest, textBody, title, type Notification } from "./payloads.js";

export const ATTEMPTS = 3;
export const ATTEMPT_TIMEOUT_MS = 10_000;
const BACKOFF_MS = [1_000, 2_000];

export interface DeliveryContext {
  env: NodeJS.ProcessEnv;
  /** Every secret of the configuration, for the environment of a command channel. */
  secrets: readonly string[];
  /** For what a remote end said: it may quote a token. */
  redact: Redact;
  /** How long one attempt may take (tests shorten it). */
  attemptTimeoutMs?: number;
  backoffMs?: readonly number[];
}

/** Why a fetch failed, in words (Node puts the network's reason in `cause`). */
function fetchReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if ((error as Error).name === "TimeoutError") return "no answer within the time limit";
  if (cause?.code === "ECONNREFUSED") return "connection refused";
  if (cause?.code === "ENOTFOUND" || cause?.code === "EAI_AGAIN") return "the host name does not resolve";
  return cause?.message ?? (error as Error).message;
}

/** Of an answer's body, only this much is read: it is quoted in a failure at most, and an endless one must not fill memory. */
const ANSWER_BYTES = 4096;

/** The first `limit` bytes of a response's body as text; the rest is not read (the connection is let go). */
async function firstBytes(response: Response, limit: number): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < limit) {
      const { value, done } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, limit).toString("utf8");
}

async function viaHttp(channel: ChannelSpec, n: Notification, timeoutMs: number, redact: Redact): Promise<Result<null>> {
  const request = httpRequest(channel, n);
  const where = displayUrl(request.url);
  try {
    // A redirect is not followed: the channel's headers (a token) would go wherever it points, and a
    // POST redirected by 301 or 302 arrives as a GET without its body, a delivery in name only.
    const response = await fetch(request.url, { method: request.method, headers: request.headers, body: request.body, signal: AbortSignal.timeout(timeoutMs), redirect: "manual" });
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel();
      const location = response.headers.get("location");
      const to = location ? ` to ${displayUrl(new URL(location, request.url).href)}` : "";
      return fail(`${where} answered HTTP ${response.status}, a redirect${to}, which is not followed: set the channel's url to the final address`, false);
    }
    const said = (await firstBytes(response, ANSWER_BYTES).catch(() => "")).slice(0, 200).trim();
    if (response.ok) return ok(null);
    // 4xx other than 408/429 will not pass by retrying.
    const retryable = response.status >= 500 || response.status === 408 || response.status === 429;
    return fail(`${where} answered HTTP ${response.status}${said ? `: ${redact(said)}` : ""}`, retryable);
  } catch (error) {
    return fail(`${where}: ${redact(fetchReason(error))}`, true);
  }
}

/**
 * How to reach a channel's mail server. smtps:// is TLS from the start; smtp:// upgrades with STARTTLS
 * when offered, and must when there is a password to send to a server beyond this machine (as Go's
 * net/smtp does): whoever is in between could otherwise strip the offer and read the login.
 */
export function smtpOptions(channel: Pick<ChannelSpec, "smtp" | "user" | "password">, timeoutMs: number) {
  const url = new URL(channel.smtp!);
  const secure = url.protocol === "smtps:";
  const auth = channel.user !== null ? { user: channel.user, pass: channel.password ?? "" } : undefined;
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    requireTLS: !secure && auth !== undefined && !isLoopback(url.hostname.replace(/^\[|\]$/g, "")),
    auth,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  };
}

async function viaEmail(channel: ChannelSpec, n: Notification, timeoutMs: number, redact: Redact): Promise<Result<null>> {
  const url = new URL(channel.smtp!);
  // Loaded only for mail: nodemailer is large, and most runs send none.
  const { createTransport } = await import("nodemailer");
  const transport = createTransport(smtpOptions(channel, timeoutMs));
  try {
    await transport.sendMail({ from: channel.from!, to: channel.to, subject: title(n), text: textBody(n) });
    return ok(null);
  } catch (error) {
    const responseCode = (error as { responseCode?: number }).responseCode;
    // A refused login or address will not pass by retrying.
    return fail(`SMTP ${url.host}: ${redact((error as Error).message)}`, responseCode === undefined || responseCode >= 400 && responseCode < 500);
  } finally {
    transport.close();
  }
}

async function viaCommand(channel: ChannelSpec, n: Notification, timeoutMs: number, context: DeliveryContext): Promise<Result<null>> {
  const { argv, shell } = channel.command!;
  const [command, ...args] = shell ? ["/bin/sh", "-c", argv[0]!] : argv;
  // Its last lines only, quoted if it fails: a command that writes without end does not grow this.
  const output: string[] = [];
  const keep = (line: string) => {
    output.push(line.slice(0, 500));
    if (output.length > 3) output.shift();
  };
  const outcome = await runProcess({
    command: command!,
    args,
    env: {
      ...withoutSecrets(context.env, context.secrets),
      CLOUDSYNC_EVENT: n.event,
      CLOUDSYNC_TASK: n.task ?? "",
      CLOUDSYNC_RUN_ID: typeof n.run?.id === "string" ? n.run.id : "",
      CLOUDSYNC_STATE: typeof n.run?.state === "string" ? n.run.state : "",
      CLOUDSYNC_ERROR: typeof n.run?.error === "string" ? n.run.error : "",
      CLOUDSYNC_MESSAGE: n.message,
      CLOUDSYNC_HOST: n.host,
    },
    timeoutMs,
    graceMs: 2_000,
    onStdout: keep,
    onStderr: keep,
  });
  if (outcome.spawnError) return fail(`cannot start ${command}: ${outcome.spawnError.message}`);
  if (outcome.stoppedBy === "timeout") return fail(`${command} did not finish within ${timeoutMs / 1000} s`, true);
  if (outcome.code === 0) return ok(null);
  const said = output.join(" | ");
  return fail(`${command} exited with ${outcome.code ?? outcome.signal}${said ? `: ${context.redact(said)}` : ""}`, true);
}

/** One attempt through the channel. */
export function attempt(channel: ChannelSpec, n: Notification, context: DeliveryContext): Promise<Result<null>> {
  const timeoutMs = context.attemptTimeoutMs ?? ATTEMPT_TIMEOUT_MS;
  if (channel.type === "email") return viaEmail(channel, n, timeoutMs, context.redact);
  if (channel.type === "command") return viaCommand(channel, n, timeoutMs, context);
  return viaHttp(channel, n, timeoutMs, context.redact);
}

/** Delivers with up to 3 attempts; the reason of the last failure otherwise, with how many attempts were made. */
export async function deliver(channel: ChannelSpec, n: Notification, context: DeliveryContext): Promise<Result<{ attempts: number }>> {
  const backoff = context.backoffMs ?? BACKOFF_MS;
  let last: Result<null> = fail("not tried");
  for (let tried = 1; tried <= ATTEMPTS; tried++) {
    last = await attempt(channel, n, context);
    if (last.ok) return ok({ attempts: tried });
    if (!last.retryable || tried === ATTEMPTS) return fail(`${last.reason} (${tried} attempt${tried === 1 ? "" : "s"})`);
    await sleep(backoff[tried - 1] ?? backoff.at(-1) ?? 0);
  }
  return last as Result<never>;
}
