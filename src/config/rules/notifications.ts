import { NOTIFY_EVENTS, type NotifyEvent } from "../../model/config.js";
import { messages } from "../messages.js";
import { CHANNEL_SHAPES, isChannelType, TASK_PLACEHOLDER } from "../notifications.js";
import { closest } from "../suggest.js";
import { fields, isMapping, textOrNull, type Path } from "../unchecked.js";
import type { Reporter, Rule, TaskRule } from "./rule.js";

/** Every option some type takes: keys outside it the schema reports as unknown. */
const SHAPES_KEYS = new Set(Object.values(CHANNEL_SHAPES).flatMap((shape) => shape.takes));

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

/** Each channel has what its type needs and nothing another type takes; its URLs and events are readable. */
export const channelShapes: Rule = (input, report) => {
  for (const [name, value] of Object.entries(fields(input.written.notifications))) {
    if (!isMapping(value) || !isChannelType(value.type)) continue; // the schema has said so
    const { type } = value;
    const shape = CHANNEL_SHAPES[type];
    const at = (...rest: Path) => ["notifications", name, ...rest];
    for (const key of Object.keys(value)) {
      // healthchecks' events have a message of their own, below.
      if (key !== "type" && !(type === "healthchecks" && key === "events") && !shape.takes.includes(key) && SHAPES_KEYS.has(key)) report.error(messages.channelOptionNotForType(key, type, shape.takes), at(key), "key");
    }
    for (const key of shape.needs) if (value[key] === undefined) report.error(messages.channelNeeds(name, type, key), at(), "key");

    const url = textOrNull(value.url);
    if (url !== null && shape.takes.includes("url")) {
      if (!isHttpUrl(url)) report.error(messages.badChannelUrl(url), at("url"));
      else if (type !== "healthchecks" && url.includes(TASK_PLACEHOLDER)) report.error(messages.taskPlaceholderOutsideHealthchecks(type), at("url"));
    }
    const smtp = textOrNull(value.smtp);
    if (smtp !== null && !isSmtpUrl(smtp)) report.error(messages.badSmtpUrl(smtp), at("smtp"));

    if (type === "healthchecks") {
      if (value.events !== undefined) report.error(messages.healthchecksEvents(), at("events"), "key");
    } else if (Array.isArray(value.events)) {
      const seen = new Set<string>();
      value.events.forEach((event, index) => {
        if (typeof event !== "string" || !NOTIFY_EVENTS.includes(event as NotifyEvent)) return;
        if (seen.has(event)) report.warn(messages.duplicateEvent(event), at("events", index));
        seen.add(event);
      });
    }
  }
};

/** A list of channel names (settings.notify, a task's notify), each a defined channel. */
function knownChannels(names: unknown, path: Path, channels: Record<string, unknown>, report: Reporter): void {
  if (!Array.isArray(names)) return;
  const known = Object.keys(channels);
  names.forEach((name, index) => {
    if (typeof name === "string" && !channels[name]) report.error(messages.unknownChannel(name, closest(name, known), known), [...path, index]);
  });
}

export const settingsNotifyKnown: Rule = (input, report) => knownChannels(fields(input.written.settings).notify, ["settings", "notify"], input.config.notifications, report);

export const taskNotifyKnown: TaskRule = (task, report) => knownChannels(task.written.notify, task.at("notify"), task.config.notifications, report);
