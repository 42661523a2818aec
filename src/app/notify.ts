import { hostname } from "node:os";
import { DEFAULT_SETTINGS, type ChannelSpec } from "../model/config.js";
import { TASK_PLACEHOLDER } from "../config/notifications.js";
import { UserError } from "../errors.js";
import { deliver } from "../notify/deliver.js";
import type { Notification } from "../notify/payloads.js";
import { redactor, secretsOf } from "../secrets/secrets.js";
import { VERSION } from "../version.js";
import { loadFile, openStore, type Workspace } from "./workspace.js";

export interface NotifyTestResult {
  channel: string;
  type: ChannelSpec["type"];
  source: "file" | "applied";
  delivered: boolean;
  error: string | null;
  attempts: number | null;
}

/** Sends a test notification through a channel (from the file, else as applied) and says whether it arrived. */
export async function notifyTest(ws: Workspace, name: string, options: { task?: string } = {}): Promise<NotifyTestResult> {
  const loaded = await loadFile(ws);
  const applied = openStore(ws, loaded.config?.settings ?? null).read();
  const fromFile = loaded.config?.notifications[name];
  const config = fromFile ? loaded.config! : { ...applied, settings: applied.settings ?? DEFAULT_SETTINGS };
  const channel = fromFile ?? applied.notifications[name];
  if (!channel) {
    const known = [...new Set([...Object.keys(loaded.config?.notifications ?? {}), ...Object.keys(applied.notifications)])].sort();
    if (!loaded.config) ws.events.emit({ type: "notice", level: "info", message: `${ws.configName} has errors.`, diagnostics: loaded.diagnostics });
    throw new UserError(`no notification channel named ${name} in ${ws.configName} or in the applied state`, known.length ? `Channels: ${known.join(", ")}.` : "Define one under notifications: first.");
  }
  if (channel.url?.includes(TASK_PLACEHOLDER) && options.task === undefined) {
    throw new UserError(`channel ${name} has one check per task ({task} in its URL): say which, with --task TASK`);
  }
  const notification: Notification = {
    event: "test",
    task: options.task ?? null,
    host: hostname(),
    message: `This is a test notification from cloudsync on ${hostname()} through channel ${name}.`,
    run: null,
    diagnostics: null,
    cloudsync_version: VERSION,
    log_tail: [],
  };
  const secrets = secretsOf(config);
  const result = await deliver(channel, notification, { env: ws.env, secrets, redact: redactor(secrets) });
  return { channel: name, type: channel.type, source: fromFile ? "file" : "applied", delivered: result.ok, error: result.ok ? null : result.reason, attempts: result.ok ? result.value.attempts : null };
}
