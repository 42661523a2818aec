import cronstrue from "cronstrue";

/** Words already made, by cron expression: a list of 1,000 tasks repeats a few schedules many times. */
const words = new Map<string, string>();
const MAX_KEPT = 10_000;

/** A cron schedule in words ("At 02:30, Monday through Friday"), as the task list and status show it beside the cron. */
export function scheduleInWords(cron: string | null): string | null {
  if (cron === null) return null;
  let text = words.get(cron);
  if (text === undefined) {
    try {
      text = cronstrue.toString(cron, { use24HourTimeFormat: true, verbose: false });
    } catch {
      text = cron;
    }
    if (words.size >= MAX_KEPT) words.clear();
    words.set(cron, text);
  }
  return text;
}
