// What each kind of channel is sent, built from one notification. Pure.
import { createHash } from "node:crypto";
import type { Diagnostic } from "../model/diagnostics.js";
import type { ChannelSpec, NotifyEvent } from "../model/config.js";
import { forTask } from "../config/notifications.js";

/** One thing to tell, whichever channel tells it. `run` is the record as JSON views show it. */
export interface Notification {
  event: NotifyEvent | "test";
  task: string | null;
  host: string;
  message: string;
  run: Record<string, unknown> | null;
  diagnostics: Diagnostic[] | null;
  cloudsync_version: string;
  /** The last lines of the run's log (redacted), for channels that carry them. */
  log_tail: string[];
  /** For news of the fleet: the host it is about (`host` is the one telling). */
  fleet_host?: string;
}

export interface HttpRequest {
  url: string;
  method: "POST";
  headers: Record<string, string>;
  body: string;
}

const TITLES: Record<Notification["event"], string> = {
  start: "started",
  success: "succeeded",
  failure: "FAILED",
  recovered: "recovered",
  overdue: "is OVERDUE",
  check_failed: "check FAILED",
  config_rejected: "configuration rejected",
  held: "HELD at the deletion limit (cloudsync approve lets it go on)",
  fleet_stale: "is STALE: silent longer than the fleet's stale_after",
  fleet_failure: "has FAILED runs",
  test: "test notification",
};

/** `cloudsync: photos FAILED` — a subject line. */
export function title(n: Notification): string {
  if (n.fleet_host) return `cloudsync: fleet host ${n.fleet_host} ${TITLES[n.event]}`;
  return `cloudsync: ${n.task ? `${n.task} ` : ""}${TITLES[n.event]}${n.task ? "" : ` on ${n.host}`}`;
}

/** The body people read: the message, and the log's last lines for a failure. */
export function textBody(n: Notification): string {
  const tail = n.log_tail.length > 0 ? `\n\nThe log's last lines:\n${n.log_tail.join("\n")}` : "";
  const diagnostics = n.diagnostics?.length ? `\n\n${n.diagnostics.map((d) => `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}`).join("\n")}` : "";
  return `${n.message}${diagnostics}${tail}\n\n(host ${n.host}, cloudsync ${n.cloudsync_version})`;
}

const json = (value: unknown) => JSON.stringify(value);
const post = (url: string, headers: Record<string, string>, body: string): HttpRequest => ({ url, method: "POST", headers, body });

/** healthchecks' run ids are UUIDs; one made from cloudsync's run id pairs a start with its end. */
export function runUuid(runId: string): string {
  const hex = createHash("sha256").update(runId).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A ping URL: the check's URL with `{task}` filled in, `/start`, `/fail` or `/log` added to its path (before any query). */
export function pingUrl(url: string, task: string | null, kind: "" | "start" | "fail" | "log", runId: string | null): string {
  const parsed = new URL(forTask(url, task));
  if (kind) parsed.pathname = `${parsed.pathname.replace(/\/+$/, "")}/${kind}`;
  if (runId) parsed.searchParams.set("rid", runUuid(runId));
  return parsed.toString();
}

const NTFY_TAGS: Partial<Record<Notification["event"], string>> = { fleet_stale: "hourglass", fleet_failure: "rotating_light", failure: "rotating_light", check_failed: "warning", overdue: "hourglass", recovered: "white_check_mark", config_rejected: "warning", success: "white_check_mark" };

/** The HTTP request a channel of an HTTP type sends for a notification. */
export function httpRequest(channel: ChannelSpec, n: Notification): HttpRequest {
  const url = channel.url!;
  switch (channel.type) {
    case "webhook":
      return post(url, { "content-type": "application/json", ...channel.headers }, json({ event: n.event, task: n.task, host: n.host, ...(n.fleet_host ? { fleet_host: n.fleet_host } : {}), message: n.message, run: n.run, diagnostics: n.diagnostics, cloudsync_version: n.cloudsync_version }));
    case "slack":
      return post(url, { "content-type": "application/json" }, json({ text: `*${title(n)}*\n${textBody(n)}` }));
    case "discord":
      // Discord refuses content over 2,000 characters.
      return post(url, { "content-type": "application/json" }, json({ username: "cloudsync", content: `**${title(n)}**\n${textBody(n)}`.slice(0, 2000) }));
    case "ntfy": {
      const urgent = ["failure", "check_failed", "overdue", "config_rejected", "fleet_stale", "fleet_failure"].includes(n.event);
      const headers: Record<string, string> = { "content-type": "text/plain; charset=utf-8", Title: title(n), Priority: String(urgent ? (channel.priority ?? 4) : 3) };
      const tag = NTFY_TAGS[n.event];
      if (tag) headers.Tags = tag;
      if (channel.token) headers.Authorization = `Bearer ${channel.token}`;
      return post(url, { ...headers, ...channel.headers }, textBody(n));
    }
    case "healthchecks": {
      const runId = typeof n.run?.id === "string" ? n.run.id : null;
      // A HELD run did not finish the backup: healthchecks hears a failure.
      const kind = n.event === "start" ? "start" : n.event === "failure" || n.event === "held" ? "fail" : n.event === "test" ? "log" : "";
      return post(pingUrl(url, n.task, kind, runId), { "content-type": "text/plain; charset=utf-8" }, n.event === "start" ? "" : textBody(n));
    }
    default:
      throw new Error(`${channel.type} is not an HTTP channel`);
  }
}

/** `https://hooks.example.com/…`: where a request goes, without the path and query that may hold its token. */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url.replaceAll("{task}", "task"));
    return `${parsed.protocol}//${parsed.host}/…`;
  } catch {
    return "(the channel's URL)";
  }
}
