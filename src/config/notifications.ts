// Notification channels: the types and what each takes, and who gets which
// event. Pure: everything comes in as arguments.
import type { ChannelSpec, ChannelType, NotifyEvent, TaskSpec } from "../model/config.js";

/** The keys each type takes besides `type`, and those it needs. */
export const CHANNEL_SHAPES: Record<ChannelType, { takes: string[]; needs: string[] }> = {
  webhook: { takes: ["url", "headers", "events"], needs: ["url"] },
  slack: { takes: ["url", "events"], needs: ["url"] },
  discord: { takes: ["url", "events"], needs: ["url"] },
  ntfy: { takes: ["url", "headers", "token", "priority", "events"], needs: ["url"] },
  healthchecks: { takes: ["url"], needs: ["url"] },
  email: { takes: ["smtp", "user", "password", "from", "to", "events"], needs: ["smtp", "from", "to"] },
  command: { takes: ["command", "events"], needs: ["command"] },
};

export const isChannelType = (type: unknown): type is ChannelType => typeof type === "string" && Object.hasOwn(CHANNEL_SHAPES, type);

export const TASK_PLACEHOLDER = "{task}";

/** The channels that hear of `event` about `task` (null: an event of the configuration as a whole, such as config_rejected). */
export function channelsFor(config: { settings: { notify: string[] }; notifications: Record<string, ChannelSpec> }, task: Pick<TaskSpec, "notify"> | null, event: NotifyEvent): string[] {
  // An event about the file itself concerns whoever listens for it.
  const names = task === null ? Object.keys(config.notifications) : (task.notify ?? config.settings.notify);
  return names.filter((name) => config.notifications[name]?.events.includes(event));
}

/** A healthchecks URL for a task: `{task}` replaced by its name. */
export const forTask = (url: string, task: string | null) => url.replaceAll(TASK_PLACEHOLDER, encodeURIComponent(task ?? ""));
