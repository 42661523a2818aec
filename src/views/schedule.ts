import cronstrue from "cronstrue";

/** A cron schedule in words ("At 02:30, Monday through Friday"), as the task list and status show it beside the cron. */
export function scheduleInWords(cron: string | null): string | null {
  if (cron === null) return null;
  try {
    return cronstrue.toString(cron, { use24HourTimeFormat: true, verbose: false });
  } catch {
    return cron;
  }
}
