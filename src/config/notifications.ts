// Notification channels: checked and resolved from the file, and who gets
// which event. Pure: everything comes in as arguments.
import { messages } from "./messages.js";
import { DEFAULT_EVENTS, HEALTHCHECKS_EVENTS, NOTIFY_EVENTS, type ChannelSpec, type ChannelType, type NotifyEvent, type TaskSpec } from "../model/config.js";
import { closest } from "./suggest.js";

type Report = (message: string, path: (string | number)[], target?: "key" | "value") => void;

/** The warnings a channel can have besides its errors. */
export interface ChannelReports {
  error: Report;
  warn: Report;
}

/** The keys each type takes besides `type`, and those it needs. */
const SHAPES: Record<ChannelType, { takes: string[]; needs: string[] }> = {
  webhook: { takes: ["url", "headers", "events"], needs: ["url"] },
  slack: { takes: ["url", "events"], needs: ["url"] },
  discord: { takes: ["url", "events"], needs: ["url"] },
  ntfy: { takes: ["url", "headers", "token", "priority", "events"], needs: ["url"] },
  healthchecks: { takes: ["url"], needs: ["url"] },
  email: { takes: ["smtp", "user", "password", "from", "to", "events"], needs: ["smtp", "from", "to"] },
  command: { takes: ["command", "events"], needs: ["command"] },
};

/** Every option some type takes: keys outside it the schema reports as unknown. */
const SHAPES_KEYS = new Set(Object.values(SHAPES).flatMap((shape) => shape.takes));

export const TASK_PLACEHOLDER = "{task}";

const isHttpUrl = (value: string) => {
  try {
    const url = new URL(value.replaceAll(TASK_PLACEHOLDER, "task"));
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
  } catch {
    return false;
  }
};

const isSmtpUrl = (value: string) => {
  try {
    const url = new URL(value);
    return (url.protocol === "smtp:" || url.protocol === "smtps:") && url.hostname !== "" && (url.pathname === "" || url.pathname === "/");
  } catch {
    return false;
  }
};

const stringOf = (value: unknown) => (typeof value === "string" ? value : null);

/** The channels under `notifications:`, each checked for its type. */
export function normalizeChannels(raw: Record<string, unknown>, { error, warn }: ChannelReports): Record<string, ChannelSpec> {
  const channels: Record<string, ChannelSpec> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === null || typeof value !== "object" || Array.isArray(value)) continue;
    const entry = value as Record<string, unknown>;
    const type = entry.type as ChannelType;
    const shape = SHAPES[type];
    if (!shape) continue; // the schema has said so
    const at = (...rest: (string | number)[]) => ["notifications", name, ...rest];
    for (const key of Object.keys(entry)) {
      // healthchecks' events have a message of their own, below.
      if (key !== "type" && !(type === "healthchecks" && key === "events") && !shape.takes.includes(key) && SHAPES_KEYS.has(key)) error(messages.channelOptionNotForType(key, type, shape.takes), at(key), "key");
    }
    for (const key of shape.needs) if (entry[key] === undefined) error(messages.channelNeeds(name, type, key), at(), "key");

    const url = stringOf(entry.url);
    if (url !== null && shape.takes.includes("url")) {
      if (!isHttpUrl(url)) error(messages.badChannelUrl(url), at("url"));
      else if (type !== "healthchecks" && url.includes(TASK_PLACEHOLDER)) error(messages.taskPlaceholderOutsideHealthchecks(type), at("url"));
    }
    const smtp = stringOf(entry.smtp);
    if (smtp !== null && !isSmtpUrl(smtp)) error(messages.badSmtpUrl(smtp), at("smtp"));

    let events: NotifyEvent[] = [...DEFAULT_EVENTS];
    if (type === "healthchecks") events = [...HEALTHCHECKS_EVENTS];
    else if (Array.isArray(entry.events)) {
      events = [];
      entry.events.forEach((event, index) => {
        if (typeof event !== "string" || !NOTIFY_EVENTS.includes(event as NotifyEvent)) return;
        if (events.includes(event as NotifyEvent)) warn(messages.duplicateEvent(event), at("events", index));
        else events.push(event as NotifyEvent);
      });
    }
    if (type === "healthchecks" && entry.events !== undefined) error(messages.healthchecksEvents(), at("events"), "key");

    const command = entry.command;
    channels[name] = {
      type,
      events,
      url,
      headers: entry.headers !== null && typeof entry.headers === "object" && !Array.isArray(entry.headers) ? Object.fromEntries(Object.entries(entry.headers).filter(([, v]) => typeof v === "string")) as Record<string, string> : {},
      token: stringOf(entry.token),
      priority: Number.isInteger(entry.priority) ? (entry.priority as number) : null,
      smtp,
      user: stringOf(entry.user),
      password: stringOf(entry.password),
      from: stringOf(entry.from),
      to: Array.isArray(entry.to) ? entry.to.filter((t): t is string => typeof t === "string") : [],
      command: typeof command === "string" ? { argv: [command], shell: true } : Array.isArray(command) ? { argv: command.filter((c): c is string => typeof c === "string"), shell: false } : null,
    };
  }
  return channels;
}

/** Checks a list of channel names (settings.notify, a task's notify), each against the defined channels. */
export function checkChannelNames(names: unknown, path: (string | number)[], channels: Record<string, ChannelSpec>, error: Report): string[] {
  if (!Array.isArray(names)) return [];
  const known = Object.keys(channels);
  return names.flatMap((name, index) => {
    if (typeof name !== "string") return [];
    if (!channels[name]) error(messages.unknownChannel(name, closest(name, known), known), [...path, index]);
    return [name];
  });
}

/** The channels that hear of `event` about `task` (null: an event of the configuration as a whole, such as config_rejected). */
export function channelsFor(config: { settings: { notify: string[] }; notifications: Record<string, ChannelSpec> }, task: Pick<TaskSpec, "notify"> | null, event: NotifyEvent): string[] {
  // An event about the file itself concerns whoever listens for it.
  const names = task === null ? Object.keys(config.notifications) : (task.notify ?? config.settings.notify);
  return names.filter((name) => config.notifications[name]?.events.includes(event));
}

/** A healthchecks URL for a task: `{task}` replaced by its name. */
export const forTask = (url: string, task: string | null) => url.replaceAll(TASK_PLACEHOLDER, encodeURIComponent(task ?? ""));
