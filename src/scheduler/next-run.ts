import { Cron } from "croner";

/** Parsed schedules, kept: a service asks for the next run of thousands of tasks again and again. */
const parsed = new Map<string, Cron>();
const MAX_KEPT = 2_000;

/** The first time at or after `now` that a cron expression fires, in `timezone` (null: the system's). */
export function nextRunAt(cron: string, timezone: string | null, now: Date): Date | null {
  const key = `${cron}\0${timezone ?? ""}`;
  let schedule = parsed.get(key);
  if (!schedule) {
    if (parsed.size >= MAX_KEPT) parsed.clear();
    schedule = new Cron(cron, { mode: "5-or-6-parts", ...(timezone ? { timezone } : {}) });
    parsed.set(key, schedule);
  }
  return schedule.nextRun(now);
}
