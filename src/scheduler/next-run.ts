import { Cron } from "croner";

/** The first time at or after `now` that a cron expression fires, in `timezone` (null: the system's). */
export function nextRunAt(cron: string, timezone: string | null, now: Date): Date | null {
  return new Cron(cron, { mode: "5-or-6-parts", ...(timezone ? { timezone } : {}) }).nextRun(now);
}
