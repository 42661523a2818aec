import type { Stamped } from "../model/events.js";
import { progressJson } from "./progress.js";
import { recordJson } from "./record.js";

/** An event as the page's stream (server-sent events) carries it: records as every JSON view shows them. */
export function eventJson(event: Stamped): Record<string, unknown> {
  switch (event.type) {
    case "run.started":
    case "check.finished":
      return { type: event.type, at: event.at, record: recordJson(event.record) };
    case "run.finished":
      return { type: event.type, at: event.at, record: recordJson(event.record), previous: event.previous };
    case "run.progress":
      return { type: event.type, at: event.at, record: recordJson(event.record), stats: progressJson(event.stats) };
    default:
      return { ...event };
  }
}
